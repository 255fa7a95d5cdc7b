// Package provider is the Terraform side of terraform-provider-dts: schema, configuration, data
// sources and the mapping of dtsapi results into Terraform values.
package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/openmigrate/dts"

var _ provider.Provider = (*dtsProvider)(nil)

// tuning holds settings that users do not set but tests shrink: timeouts, backoffs and clocks.
type tuning struct {
	attemptTimeout time.Duration
	maxBodyBytes   int64
	baseDelay      time.Duration
	maxDelay       time.Duration
	clock          clock.Clock
	lookupEnv      func(string) (string, bool)
	// watchInterrupt says whether a wait also stops on the process's own SIGINT.
	watchInterrupt bool
	// pacer paces the DTS calls; each configured provider gets one of its own on clock when nil.
	pacer *dtsapi.Pacer
}

type dtsProvider struct {
	version string
	tuning  tuning
}

// New returns a constructor of the provider for providerserver.
func New(version string) func() provider.Provider {
	return newWithTuning(version, tuning{
		clock:          clock.System{},
		lookupEnv:      os.LookupEnv,
		watchInterrupt: true,
		pacer:          processPacer,
	})
}

func newWithTuning(version string, t tuning) func() provider.Provider {
	return func() provider.Provider { return &dtsProvider{version: version, tuning: t} }
}

type providerModel struct {
	Region        types.String     `tfsdk:"region"`
	AccessKey     types.String     `tfsdk:"access_key"`
	SecretKey     types.String     `tfsdk:"secret_key"`
	SecurityToken types.String     `tfsdk:"security_token"`
	Profile       types.String     `tfsdk:"profile"`
	ECSRoleName   types.String     `tfsdk:"ecs_role_name"`
	AssumeRole    *assumeRoleModel `tfsdk:"assume_role"`
	Endpoint      types.String     `tfsdk:"endpoint"`
	MaxRetries    types.Int64      `tfsdk:"max_retries"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	ExternalID        types.String `tfsdk:"external_id"`
	Policy            types.String `tfsdk:"policy"`
	STSEndpoint       types.String `tfsdk:"sts_endpoint"`
}

func (p *dtsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dts"
	resp.Version = p.version
}

func (p *dtsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Reads the state of Alibaba Cloud DTS (Data Transmission Service) data migration jobs, " +
			"so that a cutover can be gated on it. Every argument is optional and falls back to the environment; " +
			"credentials are resolved only when a data source is read.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				Description: "Region sent as `RegionId` when a data source sets no `region_id`, such as `cn-hangzhou`. " +
					"Falls back to `ALIBABA_CLOUD_REGION_ID`, then `ALICLOUD_REGION`.",
				Validators: regionValidators(),
			},
			"access_key": schema.StringAttribute{
				Optional: true,
				Description: "Access key ID. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_ID`, then `ALICLOUD_ACCESS_KEY`. " +
					"Keys set here take precedence over every other credential source.",
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "Access key secret. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, then `ALICLOUD_SECRET_KEY`. " +
					"Never logged.",
			},
			"security_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "Security token of temporary STS credentials, sent with `access_key`. Falls back to " +
					"`ALIBABA_CLOUD_SECURITY_TOKEN`, then `ALICLOUD_SECURITY_TOKEN`. Never logged.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				Description: "Profile of the Alibaba Cloud CLI configuration (`~/.aliyun/config.json`) or of the " +
					"credentials file (`~/.alibabacloud/credentials`). Falls back to `ALIBABA_CLOUD_PROFILE`, then `ALICLOUD_PROFILE`.",
			},
			"ecs_role_name": schema.StringAttribute{
				Optional:    true,
				Description: "RAM role attached to the ECS instance Terraform runs on; credentials come from the instance metadata service.",
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				Description: "DTS API endpoint, a full URL such as `https://dts.aliyuncs.com` or a VPC endpoint. " +
					"By default the endpoint Alibaba Cloud's SDKs use for the region. Plain `http://` is accepted only " +
					"for loopback hosts, because every request carries credentials. Falls back to " +
					"`ALIBABA_CLOUD_ENDPOINT_DTS`, then `DTS_ENDPOINT`.",
				Validators: []validator.String{endpointValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				Description: fmt.Sprintf("Retries per API call for throttling, 5xx answers and network errors, with "+
					"exponential backoff and jitter, within the read's timeout. Default %d; 0 disables retries.", dtsapi.DefaultMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				Description: "Assume a RAM role with the credentials the other arguments resolve to, and call DTS as that role.",
				// role_arn cannot be Required: inside an optional block that fails every configuration without the block.
				Validators: []validator.Object{objectvalidator.AlsoRequires(path.MatchRelative().AtName("role_arn"))},
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						Optional:    true,
						Description: "ARN of the RAM role to assume, such as `acs:ram::123456789012:role/migrator`. Required in the block.",
						Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^acs:ram::`),
							"must be a RAM role ARN, such as acs:ram::123456789012:role/migrator")},
					},
					"session_name": schema.StringAttribute{
						Optional:    true,
						Description: "Role session name, shown in ActionTrail. Default `terraform`.",
						Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`),
							"must be a valid role session name: 2 to 64 letters, digits, '.', '@', '-' or '_'")},
					},
					"session_expiration": schema.Int64Attribute{
						Optional:    true,
						Description: "Lifetime of the role's credentials in seconds, 900 to 43200. Default 3600.",
						Validators:  []validator.Int64{int64validator.Between(900, 43200)},
					},
					"external_id": schema.StringAttribute{
						Optional:    true,
						Description: "External ID that the role's trust policy requires, if any.",
					},
					"policy": schema.StringAttribute{
						Optional:    true,
						Description: "A JSON policy that further restricts the assumed role's permissions.",
					},
					"sts_endpoint": schema.StringAttribute{
						Optional: true,
						Description: "STS host to call, such as `sts-vpc.cn-hangzhou.aliyuncs.com` (HTTPS is always used). " +
							"By default `sts.aliyuncs.com`. Falls back to `ALIBABA_CLOUD_STS_ENDPOINT`.",
					},
				},
			},
		},
	}
}

func (p *dtsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := resolveSettings(cfg, p.tuning.lookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	userAgent := fmt.Sprintf("terraform-provider-dts/%s Terraform/%s", p.version, req.TerraformVersion)
	data := newProviderData(settings, p.tuning, userAgent)
	resp.DataSourceData = data
}

func (p *dtsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newMigrationJobStatusDataSource, newJobStatusDataSource, newJobsDataSource, newMigrationJobsDataSource}
}

func (p *dtsProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}
