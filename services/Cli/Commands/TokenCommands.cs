using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Egov.Steering.Access;
using Egov.Steering.Cli.Remote;
using Egov.Steering.ReferenceData;

namespace Egov.Steering.Cli.Commands;

/// <summary><c>steeringctl token mint</c>: development tokens for local use and tests.</summary>
public static class TokenCommands
{
    /// <summary>Exit code for an organisation code that is not in the reference data.</summary>
    public const int UnknownOrganisationExitCode = 2;

    public static Command Create()
    {
        var token = new Command("token", "Bearer tokens for calling the services");
        token.Subcommands.Add(CreateMint());
        return token;
    }

    private static Command CreateMint()
    {
        var organisation = new Option<string>("--org")
        {
            Description = "Organisation code: national, province-<era>-<code> (e.g. province-2025-52) or ministry-<abbr> (e.g. ministry-btttt)",
            Required = true,
        };
        var scope = new Option<string>("--scope")
        {
            Description = "read, write or admin (admin implies write, write implies read)",
            Required = true,
        };
        scope.AcceptOnlyFromAmong("read", "write", "admin");
        var subject = new Option<string>("--subject")
        {
            Description = "The token's subject (sub claim)",
            DefaultValueFactory = _ => DevelopmentTokens.DefaultSubject,
        };
        var lifetime = new Option<TimeSpan>("--lifetime")
        {
            Description = "How long the token is valid: 30m, 8h, 2d or hh:mm:ss",
            DefaultValueFactory = _ => TimeSpan.FromHours(8),
            CustomParser = ParseLifetime,
        };

        var mint = new Command(
            "mint",
            "Prints a token signed with the development key (accepted by services in Development, refused in Production)")
        {
            organisation,
            scope,
            subject,
            lifetime,
        };
        mint.SetAction(parseResult =>
        {
            var org = parseResult.GetRequiredValue(organisation);
            if (!Organisations.IsKnown(org))
            {
                parseResult.InvocationConfiguration.Error.WriteLine(
                    $"unknown organisation code '{org}': use national, province-<era>-<code> with era 2020 or 2025 " +
                    "(e.g. province-2020-64, province-2025-52) or ministry-<abbr> (e.g. ministry-btttt)");
                return UnknownOrganisationExitCode;
            }

            if (SteeringClaims.ProblemWithSubject(parseResult.GetRequiredValue(subject)) is { } problem)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"--subject: {problem}");
                return ExitCodes.BadUsage;
            }

            parseResult.InvocationConfiguration.Output.WriteLine(DevelopmentTokens.Mint(
                org,
                ["steering." + parseResult.GetRequiredValue(scope)],
                parseResult.GetValue(lifetime),
                parseResult.GetRequiredValue(subject)));
            return 0;
        });
        return mint;
    }

    private static TimeSpan ParseLifetime(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        var unit = text.Length > 0 ? text[^1] : ' ';
        var multiplier = unit switch
        {
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        var parsed = multiplier != TimeSpan.Zero
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                ? multiplier * count
                : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : TimeSpan.Zero;
        if (parsed <= TimeSpan.Zero)
        {
            result.AddError($"'{text}' is not a positive lifetime such as 30m, 8h, 2d or 08:00:00");
        }

        return parsed;
    }
}
