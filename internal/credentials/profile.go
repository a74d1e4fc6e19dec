package credentials

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// profileSource is a profile of the Huawei Cloud CLI's shared config file:
// the one shared_config_file and profile name, else the current profile of
// the default file, when it exists.
type profileSource struct{}

func (profileSource) name(Input) string {
	return "shared_config_file / profile (" + EnvSharedConfigFile + " / " + EnvProfile + ")"
}

func (profileSource) named(m merged, config bool) bool { return namedBy(config, m.file, m.profile) }

func (profileSource) find(ctx context.Context, in Input, m merged) (*Result, string, error) {
	return in.sharedConfig(ctx, m.file, m.profile)
}

func (profileSource) setBy(in Input, m merged) string {
	if m.file.set() || m.profile.set() {
		return names(m.file, m.profile)
	}
	if in.HomeDir != "" {
		file := filepath.Join(in.HomeDir, ".hcloud", "config.json")
		if _, err := os.Stat(file); err == nil {
			return "the default shared config file " + file
		}
	}
	return ""
}

// account is the file and the profile: the profile a name means is the
// file's.
func (profileSource) account(m merged) [][]value { return [][]value{{m.file, m.profile}} }

func (profileSource) wins() string   { return "wins" }
func (profileSource) remedy() string { return ", a shared config profile" }

// profile is one profile of the Huawei Cloud CLI's config file.
type profile struct {
	Name             string `json:"name"`
	Mode             string `json:"mode"`
	AccessKeyID      string `json:"accessKeyId"`
	SecretAccessKey  string `json:"secretAccessKey"`
	SecurityToken    string `json:"securityToken"`
	Region           string `json:"region"`
	ProjectID        string `json:"projectId"`
	DomainID         string `json:"domainId"`
	AgencyName       string `json:"agencyName"`
	AgencyDomainName string `json:"agencyDomainName"`
	AgencyDomainID   string `json:"agencyDomainId"`
}

// sharedConfig reads the profile of the shared config file. A default file
// that is missing gives a reason; a file named explicitly that is missing,
// unreadable or not JSON, or a profile that does not exist, is an error.
func (in Input) sharedConfig(ctx context.Context, fileSetting, profileSetting value) (*Result, string, error) {
	file, explicit := fileSetting.v, fileSetting.set()
	if !explicit {
		if in.HomeDir == "" {
			return nil, "no home directory for the default ~/.hcloud/config.json", nil
		}
		file = filepath.Join(in.HomeDir, ".hcloud", "config.json")
	}
	raw, err := os.ReadFile(file)
	switch {
	case err != nil && !explicit && errors.Is(err, os.ErrNotExist) && !profileSetting.set():
		return nil, file + " not found", nil
	case err != nil && !explicit && profileSetting.set():
		return nil, "", &SettingError{Setting: profileSetting.name, Path: profileSetting.path, Origin: profileSetting.origin(), Summary: "Unreadable shared config file",
			Detail: fmt.Sprintf("Profile%s needs the shared config file, and the default %s cannot be read: %v. Set %s.", profileSetting.where(), file, pathError(err), fileSetting.either())}
	case err != nil:
		return nil, "", &SettingError{Setting: fileSetting.name, Path: fileSetting.path, Origin: fileSetting.origin(), Summary: "Unreadable shared config file",
			Detail: fmt.Sprintf("The shared config file %s%s cannot be read: %v.", file, fileSetting.from(), pathError(err))}
	}
	var doc struct {
		Current  string    `json:"current"`
		Profiles []profile `json:"profiles"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		var syntax *json.SyntaxError
		where := ""
		if errors.As(err, &syntax) {
			where = fmt.Sprintf(" at byte %d", syntax.Offset)
		}
		return nil, "", &SettingError{Setting: fileSetting.name, Path: fileSetting.path, Origin: fileSetting.origin(), Summary: "Invalid shared config file",
			Detail: fmt.Sprintf("The shared config file %s%s is not the Huawei Cloud CLI's JSON%s.", file, fileSetting.from(), where)}
	}
	name := cmp.Or(profileSetting.v, doc.Current)
	var names []string
	for _, p := range doc.Profiles {
		names = append(names, fmt.Sprintf("%q", p.Name))
		if p.Name != name {
			continue
		}
		res, err := in.fromProfile(ctx, file, p)
		return res, "", err
	}
	return nil, "", &SettingError{Setting: profileSetting.name, Path: profileSetting.path, Origin: profileSetting.origin(), Summary: "No such profile",
		Detail: fmt.Sprintf("The shared config file %s%s has no profile %q%s; it has %s.", file, fileSetting.from(), name, profileSetting.from(), strings.Join(names, ", "))}
}

func (in Input) fromProfile(ctx context.Context, file string, p profile) (*Result, error) {
	step := fmt.Sprintf("profile %q of %s", p.Name, file)
	about := fmt.Sprintf("Profile %q of %s", p.Name, file) // step, to begin a sentence
	var res *Result
	switch strings.ToLower(p.Mode) {
	case "aksk", "":
		if p.AccessKeyID == "" || p.SecretAccessKey == "" {
			return nil, &SettingError{Setting: "profile", Path: []string{"profile"}, Summary: "Incomplete profile", Detail: about + " (mode AKSK) lacks accessKeyId or secretAccessKey."}
		}
		c := hwcloud.StaticCredentials{AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey, SecurityToken: p.SecurityToken}
		res = &Result{Source: c, Step: step, Secrets: hwcloud.Credentials(c).Secrets()}
	case "ecsagency":
		var reason string
		if res, reason = in.metadata(ctx); res == nil {
			return nil, &SettingError{Setting: "profile", Path: []string{"profile"}, Summary: "ECS agency not available", Detail: about + " uses the ECS agency, but the ECS metadata service (" + in.metadataEndpoint() + ") gave no keys: " + reason + ". Run on an ECS with an agency, or use an AKSK profile."}
		}
		res.Step = step + " via " + res.Step
	default:
		return nil, &SettingError{Setting: "profile", Path: []string{"profile"}, Summary: "Unsupported profile mode", Detail: fmt.Sprintf("%s has mode %q: only AKSK and ecsAgency are supported.", about, p.Mode)}
	}
	res.Region, res.ProjectID, res.from = p.Region, p.ProjectID, profileSource{}
	if p.AgencyName != "" {
		if p.AgencyDomainName == "" && p.AgencyDomainID == "" {
			return nil, &SettingError{Setting: "profile", Path: []string{"profile"}, Summary: "Incomplete profile", Detail: about + " names agencyName but neither agencyDomainName nor agencyDomainId."}
		}
		a := AssumeRole{AgencyName: p.AgencyName, DomainName: p.AgencyDomainName, DomainID: p.AgencyDomainID}
		if p.AgencyDomainID != "" {
			a.DomainName = ""
		}
		if err := in.assume(res, a); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// pathError keeps an os error's reason and the path, never the content.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
