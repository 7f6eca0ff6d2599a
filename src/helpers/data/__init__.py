"""Reading and checking the data: every file read through one recording reader, parsed, validated and located."""
