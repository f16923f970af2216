using System.CommandLine;
using System.Globalization;
using System.Text;
using Egov.Steering.Documents;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace Egov.Steering.Cli.Remote;

/// <summary>
/// What a command that calls the services gets: the channel and the caller's token, the console to print tables on
/// (plain when the output is not a terminal), and JSON or YAML output for scripts.
/// </summary>
public sealed class RemoteCall
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation());

    private RemoteCall(ParseResult parseResult, GrpcChannel channel, Metadata headers, IAnsiConsole console)
    {
        ParseResult = parseResult;
        Channel = channel;
        Headers = headers;
        Console = console;
    }

    public ParseResult ParseResult { get; }

    public GrpcChannel Channel { get; }

    public Metadata Headers { get; }

    public IAnsiConsole Console { get; }

    /// <summary>Whether the caller asked for the response itself (<c>--output json|yaml</c>) rather than a table.</summary>
    public bool WantsDocument => RemoteOptions.ResolveOutput(ParseResult) != OutputFormat.Table;

    /// <summary>The response as protobuf JSON, or as the same document in YAML (what decision files are written in).</summary>
    public void WriteDocument(IMessage message) => ParseResult.InvocationConfiguration.Output.WriteLine(
        RemoteOptions.ResolveOutput(ParseResult) == OutputFormat.Yaml ? ProtoDocuments.WriteYaml(message).TrimEnd() : Json.Format(message));

    /// <summary>
    /// Runs <paramref name="run"/> with a channel to <paramref name="service"/> (its address as the options and
    /// environment say) and turns the services' refusals into exit codes and advice.
    /// </summary>
    public static Task<int> RunAsync(ParseResult parseResult, RemoteService service, Func<RemoteCall, Task> run) =>
        RunAsync(parseResult, service, async call =>
        {
            await run(call);
            return ExitCodes.Ok;
        });

    /// <summary>As <see cref="RunAsync(ParseResult, RemoteService, Func{RemoteCall, Task})"/>, for a command whose answer sets the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, RemoteService service, Func<RemoteCall, Task<int>> run)
    {
        string? token = null;
        Uri? address = null;
        try
        {
            token = RemoteOptions.ResolveToken(parseResult, Environment.GetEnvironmentVariable);
            var headers = new Metadata();
            if (token is not null)
            {
                headers.Add("Authorization", "Bearer " + token);
            }

            address = RemoteOptions.ResolveAddress(parseResult, service, Environment.GetEnvironmentVariable);
            using var channel = GrpcChannel.ForAddress(address);
            return await run(new RemoteCall(parseResult, channel, headers, CreateConsole(parseResult.InvocationConfiguration.Output)));
        }
        catch (RpcException exception) when (address is not null)
        {
            var violations = Violations(exception);
            // A detail that only repeats the violations listed below it (INVALID_ARGUMENT's "invalid request: field:
            // why") is said once, below.
            var detail = violations.Count > 0 && violations.All(violation => exception.Status.Detail.Contains(violation.Said, StringComparison.Ordinal))
                ? $"{violations.Count} problem(s)"
                : exception.Status.Detail;
            var (exitCode, message) = Explain(exception, detail, service, address, token is not null);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                message + string.Concat(violations.Select(violation => $"\n  {violation.Said}{violation.Type}")));
            return exitCode;
        }
        catch (BadUsageException exception)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(exception.Message);
            return ExitCodes.BadUsage;
        }
    }

    private static (int ExitCode, string Message) Explain(RpcException exception, string detail, RemoteService service, Uri address, bool hasToken)
    {
        const string Mint = "`steeringctl token mint --org national --scope read`";
        return exception.StatusCode switch
        {
            StatusCode.NotFound => (ExitCodes.NotFound,
                $"not found: {detail}. Find the right id with {WhereToFind(exception.GetRpcStatus()?.GetDetail<ResourceInfo>()?.ResourceType)}."),
            StatusCode.Unauthenticated when !hasToken => (ExitCodes.NotAllowed,
                $"no token: run {Mint} and pass it with --token (or set {RemoteOptions.TokenVariable})."),
            StatusCode.Unauthenticated => (ExitCodes.NotAllowed,
                $"the token was refused ({detail}): it may have expired or be signed with a key this server does not accept; mint a new one with {Mint}."),
            StatusCode.PermissionDenied => (ExitCodes.NotAllowed,
                $"not allowed: {detail}. Use a token for the owning organisation with the scope it needs (`steeringctl token mint --org <code> --scope write`)."),
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => (ExitCodes.Unavailable,
                $"cannot reach {service.Name} at {address} ({detail}): start the sandbox with `dotnet run --project services/AllInOne`, " +
                $"or pass {service.AddressOption} (or set {service.AddressVariable}); {RemoteOptions.AddressName} ({RemoteOptions.AddressVariable}) sets all three services' address."),
            // Only the event feed answers OUT_OF_RANGE: a resume position the log no longer holds.
            StatusCode.OutOfRange => (ExitCodes.PositionOutOfRange,
                $"the event feed cannot resume there ({detail}). Take a fresh snapshot with `steeringctl overview`, then watch from now: " +
                "`steeringctl watch` without --after (and without a --state-file holding that position)."),
            StatusCode.InvalidArgument => (ExitCodes.BadUsage, $"rejected: {detail}"),
            StatusCode.AlreadyExists => (ExitCodes.BadUsage,
                $"already exists: {detail}. Choose another id, or leave --id out to let the server assign one."),
            StatusCode.Aborted => (ExitCodes.Failed,
                $"changed meanwhile: {detail}. Someone else changed it since it was read: show it again and redo the change on the new version."),
            StatusCode.FailedPrecondition when exception.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason == "DECISION_HAS_PROBLEMS" => (ExitCodes.Problems,
                $"not issued: {detail}. Correct the draft (`steeringctl decisions draft -f FILE --update ID`) and validate it again:"),
            StatusCode.FailedPrecondition => (ExitCodes.Failed, $"not possible now: {detail}"),
            _ => (ExitCodes.Failed, $"{exception.StatusCode}: {detail}"),
        };
    }

    // The command that lists what the missing resource's kind (its collection, ResourceInfo.resource_type) holds.
    private static string WhereToFind(string? collection) => collection switch
    {
        "decisions" => "`steeringctl decisions list`",
        "committees" => "`steeringctl committees list`",
        "people" => "`steeringctl people search <text>`",
        "memberships" or "posts" or "workingGroups" => "`steeringctl committees show <committee>`",
        _ => "`steeringctl committees list`, `steeringctl decisions list` or `steeringctl people search <text>`",
    };

    // The google.rpc.Status details that say what exactly is wrong: "field: why" per field or precondition, and its type.
    private static List<(string Said, string Type)> Violations(RpcException exception)
    {
        var status = exception.GetRpcStatus();
        var violations = (status?.GetDetail<BadRequest>()?.FieldViolations ?? [])
            .Select(violation => ($"{violation.Field}: {violation.Description}", string.Empty))
            .ToList();
        foreach (var violation in status?.GetDetail<PreconditionFailure>()?.Violations ?? [])
        {
            var subject = violation.Subject.Length > 0 ? violation.Subject : "(the decision as a whole)";
            violations.Add(($"{subject}: {violation.Description}", $" [{violation.Type}]"));
        }

        return violations;
    }

    // Tables for a person at a terminal; plain text (no colours, no wrapping at 80 columns) for files and pipes.
    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var consoleOutput = new AnsiConsoleOutput(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = consoleOutput,
            Ansi = consoleOutput.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = consoleOutput.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = consoleOutput.IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!consoleOutput.IsTerminal)
        {
            console.Profile.Width = 240;
        }

        return console;
    }
}
