package wire

// Whoami is Mux's answer to GET /system/v1/whoami, which `mux login` uses
// to check credentials. Reelvault has one access token in one environment
// of one organization: the local archive.
type Whoami struct {
	AccessTokenName  string   `json:"access_token_name"`
	EnvironmentID    string   `json:"environment_id"`
	EnvironmentName  string   `json:"environment_name"`
	EnvironmentType  string   `json:"environment_type"`
	OrganizationID   string   `json:"organization_id"`
	OrganizationName string   `json:"organization_name"`
	Permissions      []string `json:"permissions"`
}

// NewWhoami describes the access token of the environment envID, envName.
func NewWhoami(envID, envName string) Whoami {
	return Whoami{
		AccessTokenName: "Reelvault access token",
		EnvironmentID:   envID, EnvironmentName: envName,
		EnvironmentType: "production", // Mux's type for environments that are not for tests
		OrganizationID:  envID, OrganizationName: envName,
		Permissions: []string{"video:read", "video:write", "system:read", "system:write"},
	}
}
