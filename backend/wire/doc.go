// Package wire is Mux Video's wire format as Reelvault speaks it: the JSON
// objects of assets, uploads, live streams, webhook endpoints, deliveries
// and watch folders, the list envelope and its paging parameters, the error
// body, and the decoding of new_asset_settings. The API answers with these
// objects and the domain packages write them into events, through the
// renderers made here; the domain packages themselves know no JSON.
package wire
