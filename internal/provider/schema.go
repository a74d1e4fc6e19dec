package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
)

// oursAlone marks a setting the Huawei Cloud provider does not have.
const oursAlone = " This setting is this provider's own; the Huawei Cloud provider has no such setting."

func (p *clusterProtectProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := make(map[string]schema.Attribute, len(providerSettings))
	for _, s := range providerSettings {
		attrs[s.name] = s.schema
	}
	resp.Schema = schema.Schema{
		Blocks: credentialBlocks(),
		MarkdownDescription: "Reads Huawei Cloud Host Security Service (HSS) container-cluster protection alarm events. " +
			"Every argument is optional in configuration and falls back to an environment variable named as the " +
			"Huawei Cloud provider names it; a value in configuration wins over the environment.",
		Attributes: attrs,
	}
}
