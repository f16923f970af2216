using System.CommandLine;
using Egov.Steering.Access;
using Egov.Steering.Cli.Commands;
using Egov.Steering.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.BuildingBlocks.Tests.Cli;

public class TokenCommandsTests
{
    [Fact]
    public async Task Mint_prints_a_development_token_for_the_organisation_and_scope()
    {
        var (exitCode, output, _) = Run("token", "mint", "--org", "province-2025-52", "--scope", "write", "--subject", "clerk-7", "--lifetime", "2h");

        Assert.Equal(0, exitCode);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(output.Trim(), new TokenValidationParameters
        {
            ValidIssuer = DevelopmentTokens.Issuer,
            ValidAudience = DevelopmentTokens.Audience,
            IssuerSigningKey = DevelopmentTokens.Key,
        });
        Assert.True(validation.IsValid);
        var caller = Caller.From(new System.Security.Claims.ClaimsPrincipal(validation.ClaimsIdentity));
        Assert.Equal(("clerk-7", "province-2025-52"), (caller.Subject, caller.Organisation));
        Assert.True(caller.CanWrite("province-2025-52"));
        var token = new JsonWebToken(output.Trim());
        Assert.Equal(TimeSpan.FromHours(2), token.ValidTo - token.ValidFrom);
    }

    [Fact]
    public void Mint_refuses_an_unknown_organisation_with_exit_code_2()
    {
        var (exitCode, output, error) = Run("token", "mint", "--org", "province-2025-64", "--scope", "read");

        Assert.Equal(TokenCommands.UnknownOrganisationExitCode, exitCode);
        Assert.Empty(output);
        Assert.Contains("unknown organisation code 'province-2025-64'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Mint_refuses_a_scope_that_does_not_exist()
    {
        var (exitCode, output, error) = Run("token", "mint", "--org", "national", "--scope", "root");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("root", error, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", output, StringComparison.Ordinal); // every JWT starts with a base64 '{"'; none is printed
    }

    [Fact]
    public void Mint_refuses_a_subject_the_services_would_refuse()
    {
        var (exitCode, output, error) = Run("token", "mint", "--org", "national", "--scope", "read", "--subject", new string('s', 256));

        Assert.Equal(2, exitCode);
        Assert.Contains("--subject", error, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand { TokenCommands.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
