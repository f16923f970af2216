using Egov.Steering.Access;

namespace Egov.Steering.Bench;

/// <summary>
/// The environment a bench gives the service processes it starts so that they run the pipeline they run in
/// production: outside Development (no developer exception page, JSON console logs), yet trusting the development
/// signing key, named explicitly, which only the Production environment refuses (the sample loader and the bench's
/// clients sign with it).
/// </summary>
internal static class ProductionPipeline
{
    public static IEnumerable<KeyValuePair<string, string>> Environment { get; } =
    [
        new("ASPNETCORE_ENVIRONMENT", "Staging"),
        new("Auth__SigningKeys__0", DevelopmentTokens.SigningKey),
    ];
}
