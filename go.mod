module github.com/wirelark/wirelark

go 1.26.8

require (
	github.com/creack/pty v1.1.24
	github.com/gopacket/gopacket v1.7.7
	github.com/jcmturner/gokrb5/v8 v8.4.4
	github.com/peterh/liner v1.2.3
	go.starlark.net v0.0.0-20260908191801-89a6a09411d5
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.49.0
)

require (
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/hashicorp/go-uuid v1.0.3 // indirect
	github.com/jcmturner/aescts/v2 v2.0.0 // indirect
	github.com/jcmturner/dnsutils/v2 v2.0.0 // indirect
	github.com/jcmturner/gofork v1.7.6 // indirect
	github.com/jcmturner/rpc/v2 v2.0.3 // indirect
	github.com/mattn/go-runewidth v0.0.31 // indirect
	golang.org/x/crypto v0.58.0 // indirect
)
