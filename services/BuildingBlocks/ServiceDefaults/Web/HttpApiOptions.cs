namespace Egov.Steering.ServiceDefaults.Web;

/// <summary>The <c>Web</c> configuration section: who may call the JSON/HTTP API from a browser page.</summary>
public sealed class HttpApiOptions
{
    public const string SectionName = "Web";

    public CorsOptions Cors { get; set; } = new();

    /// <summary>Cross-origin calls: off unless origins are listed (the dashboard served by the system is same-origin).</summary>
    public sealed class CorsOptions
    {
        /// <summary>Origins allowed to call, e.g. "https://dashboard.egov.gov.vn"; empty = no CORS headers at all.</summary>
        public List<string> AllowedOrigins { get; set; } = [];
    }
}
