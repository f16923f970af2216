using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Egov.Steering.Access;

namespace Egov.Steering.Cli.Remote;

/// <summary>The options every command that calls the services shares (recursive: given anywhere on the line).</summary>
public static class RemoteOptions
{
    public const string DefaultAddress = "http://127.0.0.1:5100";
    public const string AddressVariable = "STEERINGCTL_ADDRESS";
    public const string TokenVariable = "STEERINGCTL_TOKEN";

    public const string AddressName = "--address";
    public const string TokenName = "--token";
    public const string OutputName = "--output";

    /// <summary>Adds the shared options to the root; new instances per root, read back by name.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Options.Add(new Option<Uri?>(AddressName)
        {
            Description = $"The gRPC address of the services; else {AddressVariable}, else the running sandbox's (all three on one port; {DefaultAddress} by default).",
            Recursive = true,
            CustomParser = result => ParseAddress(result, AddressName),
        });
        foreach (var service in RemoteService.All)
        {
            root.Options.Add(new Option<Uri?>(service.AddressOption)
            {
                Description = $"The gRPC address of {service.Name} (its own port in the distributed mode); else {service.AddressVariable}, else as {AddressName}.",
                Recursive = true,
                CustomParser = result => ParseAddress(result, service.AddressOption),
            });
        }

        // Resolved at run time (never a DefaultValueFactory) so that --help never prints a token from the environment.
        root.Options.Add(new Option<string?>(TokenName)
        {
            Description = $"Bearer token (`steeringctl token mint ...`); else {TokenVariable}.",
            Recursive = true,
        });
        root.Options.Add(new Option<OutputFormat>(OutputName, "-o")
        {
            Description = "table (to read), json (protobuf JSON, for scripts) or yaml (the same document in YAML).",
            Recursive = true,
            DefaultValueFactory = _ => OutputFormat.Table,
        });
    }

    /// <summary>A YYYY-MM-DD option such as <c>--as-of</c>.</summary>
    public static Option<Google.Type.Date?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return new Google.Type.Date { Year = date.Year, Month = date.Month, Day = date.Day };
            }

            result.AddError($"{name} must be a date written YYYY-MM-DD, e.g. 2020-12-31 (got '{text}').");
            return null;
        },
    };

    /// <summary>A repeatable <c>--level national|ministry|province</c> (read with <see cref="Labels.ParseLevel"/>).</summary>
    public static Option<string[]> LevelsOption(string description)
    {
        var levels = new Option<string[]>("--level") { Description = description, AllowMultipleArgumentsPerToken = true };
        levels.AcceptOnlyFromAmong("national", "ministry", "province");
        return levels;
    }

    /// <summary>
    /// Where <paramref name="service"/> is: its own option, its own variable, then --address, STEERINGCTL_ADDRESS, the
    /// address a running sandbox wrote (<see cref="SandboxAddressFile"/>) and the sandbox's default. <paramref name="environment"/> reads a variable (the process's in steeringctl; a table in tests).
    /// </summary>
    internal static Uri ResolveAddress(ParseResult parseResult, RemoteService service, Func<string, string?> environment) =>
        parseResult.GetValue<Uri?>(service.AddressOption)
        ?? FromVariable(environment, service.AddressVariable)
        ?? parseResult.GetValue<Uri?>(AddressName)
        ?? FromVariable(environment, AddressVariable)
        ?? FromSandboxFile(environment)
        ?? new Uri(DefaultAddress);

    internal static OutputFormat ResolveOutput(ParseResult parseResult) => parseResult.GetValue<OutputFormat>(OutputName);

    /// <summary>
    /// --token, else STEERINGCTL_TOKEN; one that cannot be a JWT (e.g. a failed `token mint`'s output captured by
    /// `$(...)`, or a pasted line break) is refused here, not sent to fail as an HTTP/2 protocol error.
    /// </summary>
    internal static string? ResolveToken(ParseResult parseResult, Func<string, string?> environment)
    {
        var (token, source) = parseResult.GetValue<string?>(TokenName) is { Length: > 0 } option ? (option, TokenName)
            : environment(TokenVariable) is { Length: > 0 } variable ? (variable, TokenVariable)
            : (null, null);
        if (token is not null && !IsJwtShaped(token))
        {
            var start = token.Trim().Split('\n')[0];
            throw new BadUsageException(
                $"{source} does not hold a token (it starts '{(start.Length > 24 ? start[..24] + "…" : start)}'): a token is a JWT, three base64url parts " +
                "joined by dots, without spaces or line breaks. Mint one with `steeringctl token mint --org national --scope read` " +
                "and check that command succeeded before using its output.");
        }

        return token;
    }

    // JWS compact form (header.payload.signature), or JWE's five parts.
    private static bool IsJwtShaped(string token)
    {
        var parts = token.Split('.');
        return parts.Length is 3 or 5
            && parts.Take(2).All(part => part.Length > 0)
            && parts.All(part => part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private static Uri? ParseAddress(ArgumentResult result, string option)
    {
        var text = result.Tokens.Single().Value;
        if (AsAddress(text) is { } address)
        {
            return address;
        }

        result.AddError(NotAnAddress(option, text));
        return null;
    }

    // An unset or empty variable is no address; a set one is checked like the options (not left to fail at the call).
    private static Uri? FromVariable(Func<string, string?> environment, string variable) =>
        environment(variable) is not { Length: > 0 } text ? null
        : AsAddress(text) ?? throw new BadUsageException(NotAnAddress(variable, text));

    // Where a running sandbox said it listens (it removes the file when it stops).
    private static Uri? FromSandboxFile(Func<string, string?> environment) =>
        SandboxAddressFile.PathFrom(environment) is not { } path || SandboxAddressFile.Read(path) is not { } text ? null
        : AsAddress(text) ?? throw new BadUsageException($"{path}, where the sandbox writes its address, holds '{text}', not an http:// or https:// URL: delete it or start the sandbox again.");

    private static Uri? AsAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static string NotAnAddress(string source, string text) =>
        $"{source} must be an http:// or https:// URL such as {DefaultAddress} (got '{text}').";
}

/// <summary>How results are printed.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
