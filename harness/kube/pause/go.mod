module impfuzz.invalid/pause

go 1.22
