"""Images and documents: safe uploads, renditions and the files served for public releases."""
