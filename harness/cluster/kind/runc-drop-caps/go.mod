module impfuzz.invalid/runc-drop-caps

go 1.22
