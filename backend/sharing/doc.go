// Package sharing is Reelvault's share links (issue 15): a link per
// recipient over one or more assets, each with its own label, expiry,
// download limit and password, revocable one at a time, with a log of who
// downloaded what. Mux's master_access links (package links) stay as they
// are beside them.
//
// A link is served on the share listener as
//
//	BASE/s/{token}                               the landing page
//	BASE/s/{token}/f/{asset_id}/{kind}/{name}    one file, with Range/HEAD/ETag
//	BASE/s/{token}/poster/{asset_id}             the poster (thumbnail)
//
// where token is 32 random bytes (base64url): it is the link's only secret,
// and a token this machine never issued is "tampered" (404).
package sharing
