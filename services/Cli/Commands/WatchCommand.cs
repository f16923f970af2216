using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Egov.Steering.Cli.Feed;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Documents;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Google.Protobuf;
using Grpc.Core;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary>
/// <c>steeringctl watch</c>: the live event feed (NotificationsService.WatchEvents), one line per event, resuming after
/// the last position it saw when the stream breaks.
/// <code>
/// steeringctl watch [--after POSITION | --from-beginning] [--committee ID] [--level L] [--jurisdiction CODE] [--type T]
///                   [--own-organisation] [--state-file PATH] [--count N | --until-idle] [-o json]
/// </code>
/// </summary>
public static class WatchCommand
{
    // One compact object per line (NDJSON), unlike the indented JSON of the other commands.
    private static readonly JsonFormatter JsonLines = new(JsonFormatter.Settings.Default);

    public static Command Create()
    {
        var after = new Option<long?>("--after")
        {
            Description = "Start after this feed position (the last one you processed); default: from now.",
            Validators = { result => AtLeast(result, 0) },
        };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start with the oldest event the feed retains." };
        var committees = Repeatable("--committee", "Only events about these committees (their ids).");
        var levels = RemoteOptions.LevelsOption("Only events about committees of these levels (repeatable).");
        var jurisdictions = Repeatable("--jurisdiction", "Only events about committees of these organisations (codes such as province-2025-52, ministry-btttt).");
        var types = Repeatable("--type", "Only these event types, e.g. MembershipStarted, DecisionApplied.");
        types.Validators.Add(result =>
        {
            foreach (var type in result.Tokens.Select(token => token.Value).Where(type => EventSummary.FullType(type) is null))
            {
                result.AddError($"--type {type} is not an event of the feed; one of: {string.Join(", ", EventSummary.KnownTypes.Select(EventSummary.ShortType))}.");
            }
        });
        var ownOrganisation = new Option<bool>("--own-organisation") { Description = "Only events about your token's organisation's committees." };
        var stateFile = new Option<string?>("--state-file")
        {
            Description = "Keep the last position in this file, and resume from it when it exists (it then wins over --after and --from-beginning).",
        };
        var count = new Option<int?>("--count")
        {
            Description = "Stop after this many events (exit 0).",
            Validators = { result => AtLeast(result, 1) },
        };
        var untilIdle = new Option<bool>("--until-idle") { Description = "Stop at the first heartbeat, when the feed has had nothing to send for a while (exit 0)." };

        var watch = new Command("watch", "The live event feed: one line per change (JSON lines with -o json), resuming after the last position seen.")
        {
            after, fromBeginning, committees, levels, jurisdictions, types, ownOrganisation, stateFile, count, untilIdle,
        };
        watch.Validators.Add(result =>
        {
            if (result.GetResult(after) is not null && result.GetResult(fromBeginning) is not null)
            {
                result.AddError("--after and --from-beginning are two different starts: give one of them.");
            }
        });
        watch.SetAction(async (parseResult, cancellationToken) =>
        {
            var positions = parseResult.GetValue(stateFile) is { } path ? new PositionFile(path) : null;
            long? saved;
            try
            {
                saved = positions?.Read();
            }
            catch (InvalidDataException exception)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(exception.Message);
                return ExitCodes.BadUsage;
            }

            var request = new WatchEventsRequest
            {
                Filter = new EventFilter
                {
                    Committees = { (parseResult.GetValue(committees) ?? []).Select(id => "committees/" + Labels.Id(id)) },
                    Levels = { (parseResult.GetValue(levels) ?? []).Select(Labels.ParseLevel) },
                    Jurisdictions = { parseResult.GetValue(jurisdictions) ?? [] },
                    EventTypes = { (parseResult.GetValue(types) ?? []).Select(type => EventSummary.FullType(type)!) },
                },
                OwnOrganisationOnly = parseResult.GetValue(ownOrganisation),
            };
            var start = saved ?? parseResult.GetValue(after) ?? (parseResult.GetValue(fromBeginning) ? 0 : null);
            if (start is { } position)
            {
                request.AfterPosition = position;
            }

            var stop = new Stop(parseResult.GetValue(count), parseResult.GetValue(untilIdle));
            return await RemoteCall.RunAsync(parseResult, RemoteService.Notifications, call => WatchAsync(call, request, positions, stop, cancellationToken));
        });
        return watch;
    }

    private static async Task WatchAsync(RemoteCall call, WatchEventsRequest request, PositionFile? positions, Stop stop, CancellationToken cancellationToken)
    {
        var printed = 0;
        var watch = new ResumingWatch(
            new NotificationsService.NotificationsServiceClient(call.Channel), call.Headers, call.ParseResult.InvocationConfiguration.Error);
        try
        {
            await watch.RunAsync(request, response =>
            {
                if (response.ItemCase == WatchEventsResponse.ItemOneofCase.Event)
                {
                    // Printed, then saved: a crash in between prints the event again (at least once), never skips it.
                    Print(call, response.Event);
                    positions?.Write(response.Event.Position);
                    return Task.FromResult(++printed == stop.Count);
                }

                positions?.Write(response.Heartbeat.Position);
                if (!stop.WhenIdle && !call.WantsDocument && call.Console.Profile.Out.IsTerminal)
                {
                    call.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                        $"[dim]· quiet; the feed is at position {response.Heartbeat.Position} ({response.Heartbeat.Time?.ToDateTime():HH:mm:ss}Z)[/]"));
                }

                return Task.FromResult(stop.WhenIdle);
            }, cancellationToken);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && exception is OperationCanceledException or RpcException)
        {
            // Ctrl+C ends a watch normally: what was printed stands, and the state file holds its last position.
        }
    }

    private static void Print(RemoteCall call, EventEnvelope envelope)
    {
        var output = call.ParseResult.InvocationConfiguration.Output;
        switch (RemoteOptions.ResolveOutput(call.ParseResult))
        {
            case OutputFormat.Json:
                output.WriteLine(JsonLines.Format(envelope));
                break;
            case OutputFormat.Yaml:
                // One YAML document per event, so a YAML stream reader takes them one by one.
                output.WriteLine("---");
                output.WriteLine(ProtoDocuments.WriteYaml(envelope).TrimEnd());
                break;
            default:
                call.Console.MarkupLine(EventSummary.Line(envelope));
                break;
        }
    }

    private static Option<string[]> Repeatable(string name, string description) =>
        new(name) { Description = description + " Repeatable.", AllowMultipleArgumentsPerToken = true };

    private static void AtLeast(OptionResult result, long minimum)
    {
        if (result.Tokens.Count == 1 && long.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var value) && value < minimum)
        {
            result.AddError($"{result.Option.Name} must be {minimum} or more (got {value}).");
        }
    }

    private sealed record Stop(int? Count, bool WhenIdle);
}
