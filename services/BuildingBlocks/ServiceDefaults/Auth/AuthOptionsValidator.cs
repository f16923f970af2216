using Egov.Steering.Access;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// Decides which keys sign trusted tokens, and fails start-up with a clear message when the configuration would let
/// anyone mint tokens (the public development key in Production) or would accept none.
/// </summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        try
        {
            _ = EffectiveSigningKeys(options, environment);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }

    /// <summary>
    /// The configured keys; with none configured and no authority, the development key in Development only.
    /// </summary>
    public static IReadOnlyList<SecurityKey> EffectiveSigningKeys(AuthOptions options, IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new InvalidOperationException("Auth:Issuer and Auth:Audience must not be empty");
        }

        var keys = options.SigningKeys.Where(key => !string.IsNullOrWhiteSpace(key)).Select(SigningKeys.Parse).ToList();
        if (environment.IsProduction() && keys.Any(DevelopmentTokens.IsDevelopmentKey))
        {
            throw new InvalidOperationException(
                "Auth:SigningKeys contains the development signing key, which is public and refused in Production; " +
                "configure keys of your own");
        }

        if (keys.Count > 0 || !string.IsNullOrWhiteSpace(options.Authority))
        {
            return keys;
        }

        if (environment.IsDevelopment())
        {
            return [DevelopmentTokens.Key];
        }

        throw new InvalidOperationException(
            $"no token signing keys: set Auth:SigningKeys or Auth:Authority (the development key is used only when " +
            $"the environment is Development; this one is {environment.EnvironmentName})");
    }
}
