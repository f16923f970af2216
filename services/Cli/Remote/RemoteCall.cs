using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace Egov.Steering.Cli.Remote;

/// <summary>
/// What a command that calls the services gets: the channel and the caller's token, the console to print tables on
/// (plain when the output is not a terminal), and JSON output for scripts.
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

    public bool WantsJson => RemoteOptions.ResolveOutput(ParseResult) == OutputFormat.Json;

    public void WriteJson(IMessage message) => ParseResult.InvocationConfiguration.Output.WriteLine(Json.Format(message));

    /// <summary>Runs <paramref name="run"/> and turns the services' refusals into exit codes and advice.</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<RemoteCall, Task> run)
    {
        var address = RemoteOptions.ResolveAddress(parseResult);
        var token = RemoteOptions.ResolveToken(parseResult);
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("Authorization", "Bearer " + token);
        }

        using var channel = GrpcChannel.ForAddress(address);
        try
        {
            await run(new RemoteCall(parseResult, channel, headers, CreateConsole(parseResult.InvocationConfiguration.Output)));
            return ExitCodes.Ok;
        }
        catch (RpcException exception)
        {
            var (exitCode, message) = Explain(exception, address, token is not null);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(message);
            return exitCode;
        }
    }

    private static (int ExitCode, string Message) Explain(RpcException exception, Uri address, bool hasToken)
    {
        var detail = exception.Status.Detail;
        const string Mint = "`steeringctl token mint --org national --scope read`";
        return exception.StatusCode switch
        {
            StatusCode.NotFound => (ExitCodes.NotFound,
                $"not found: {detail}. Find the right id with `steeringctl committees list` or `steeringctl people search <text>`."),
            StatusCode.Unauthenticated when !hasToken => (ExitCodes.NotAllowed,
                $"no token: run {Mint} and pass it with --token (or set {RemoteOptions.TokenVariable})."),
            StatusCode.Unauthenticated => (ExitCodes.NotAllowed,
                $"the token was refused ({detail}): it may have expired or be signed with a key this server does not accept; mint a new one with {Mint}."),
            StatusCode.PermissionDenied => (ExitCodes.NotAllowed,
                $"not allowed: {detail}. Use a token for the owning organisation with the scope it needs (`steeringctl token mint --org <code> --scope write`)."),
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => (ExitCodes.Unavailable,
                $"cannot reach {address} ({detail}): start the sandbox with `dotnet run --project services/AllInOne`, or pass --address (or set {RemoteOptions.AddressVariable})."),
            // Only the event feed answers OUT_OF_RANGE: a resume position the log no longer holds.
            StatusCode.OutOfRange => (ExitCodes.PositionOutOfRange,
                $"the event feed cannot resume there ({detail}). Take a fresh snapshot with `steeringctl overview`, then watch from now: " +
                "`steeringctl watch` without --after (and without a --state-file holding that position)."),
            StatusCode.InvalidArgument => (ExitCodes.BadUsage, $"rejected: {detail}"),
            _ => (ExitCodes.Failed, $"{exception.StatusCode}: {detail}"),
        };
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
