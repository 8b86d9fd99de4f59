module github.com/wirelark/wirelark

go 1.26.8

require (
	github.com/gopacket/gopacket v1.7.7
	go.starlark.net v0.0.0-20260908191801-89a6a09411d5
)

require (
	golang.org/x/net v0.55.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
