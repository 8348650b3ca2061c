// Package links makes and checks the expiring download links of Reelvault's
// share listener, and serves the master file behind a valid link.
//
// A link looks like
//
//	BASE/v/{assetID}/{generation}/{expiry}/{signature}/master.mp4[?download=Name.mp4]
//
// where the signature is an HMAC-SHA256, under a secret that never leaves the
// machine, of the asset id, the generation and the expiry (Unix seconds). The
// archive bumps an asset's generation to revoke every older link at once.
// "download" is not signed (as with Mux): it only picks the attachment name.
package links
