using System.CommandLine;
using Egov.Steering.Cli.Files;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Documents;
using Egov.Steering.Types.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary>
/// <c>steeringctl decisions list|show|draft|validate|issue</c>: the decisions that changed the register, as recorded,
/// and the clerk's way to record a new one.
/// <code>
/// steeringctl decisions list [--committee gia-lai-2020-e-government] [--number qd-ttg]
/// steeringctl decisions show gia-lai-2020-bo-sung [-o yaml]
/// steeringctl decisions draft -f decision.yaml [--id ID | --update ID]
/// steeringctl decisions validate ID
/// steeringctl decisions issue ID [--no-wait]
/// </code>
/// </summary>
public static class DecisionsCommands
{
    // How often `issue` asks whether Membership has answered.
    private static readonly TimeSpan OutcomePollInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create() => new("decisions", "The decisions (quyết định) that establish, consolidate and change committees.")
    {
        CreateList(),
        CreateShow(),
        CreateDraft(),
        CreateValidate(),
        CreateIssue(),
    };

    private static Command CreateList()
    {
        var committee = new Option<string>("--committee") { Description = "Only decisions concerning this committee (its id)." };
        var number = new Option<string>("--number") { Description = "Only decisions whose number contains this text (\"qd-ttg\" finds \"701/QĐ-TTg\")." };
        var list = new Command("list", "Decisions, with their number, dates, kinds and state.") { committee, number };
        list.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Decisions, async call =>
        {
            var client = new DecisionsService.DecisionsServiceClient(call.Channel);
            var request = new ListDecisionsRequest
            {
                PageSize = 500,
                Committee = parseResult.GetValue(committee) is { } id ? "committees/" + Labels.Id(id) : string.Empty,
                Number = parseResult.GetValue(number) ?? string.Empty,
            };
            var all = new ListDecisionsResponse
            {
                Decisions =
                {
                    await Pages.AllAsync<Decision>(async pageToken =>
                    {
                        request.PageToken = pageToken;
                        var page = await client.ListDecisionsAsync(request, call.Headers, cancellationToken: cancellationToken);
                        return (page.Decisions, page.NextPageToken);
                    }),
                },
            };
            if (call.WantsDocument)
            {
                call.WriteDocument(all);
                return;
            }

            var table = new Table()
                .AddColumn(new TableColumn("id").NoWrap())
                .AddColumns("number", "effective", "kinds", "title", "state");
            foreach (var decision in all.Decisions)
            {
                table.AddRow(
                    Labels.Text(Labels.Id(decision.Name)),
                    NumberOf(decision),
                    Labels.Date(decision.EffectiveDate),
                    Labels.Text(string.Join(", ", decision.Kinds.Select(Kind))),
                    Labels.Text(decision.Title),
                    Labels.Text(State(decision.State)));
            }

            call.Console.Write(table);
            call.Console.WriteLine($"{all.Decisions.Count} decision(s)");
        }));
        return list;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("id") { Description = "The decision's id (as `decisions list` shows it) or resource name." };
        var show = new Command("show", "One decision: who issued and signed it, when it takes effect, what it changes, its source.") { id };
        show.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Decisions, async call =>
        {
            var client = new DecisionsService.DecisionsServiceClient(call.Channel);
            var decision = await client.GetDecisionAsync(
                new GetDecisionRequest { Name = "decisions/" + Labels.Id(parseResult.GetRequiredValue(id)) },
                call.Headers,
                cancellationToken: cancellationToken);
            if (call.WantsDocument)
            {
                call.WriteDocument(decision);
                return;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("number", NumberOf(decision));
            grid.AddRow("title", Labels.Text(decision.Title));
            grid.AddRow("issuer", Labels.Text(decision.Issuer?.DisplayName));
            grid.AddRow("signer", decision.Signer is { } signer ? Markup.Escape($"{signer.DisplayName}, {signer.Title}") : "-");
            grid.AddRow("signed", Labels.Date(decision.SignedDate));
            grid.AddRow("effective", Labels.Date(decision.EffectiveDate));
            grid.AddRow("kinds", Labels.Text(string.Join(", ", decision.Kinds.Select(Kind))));
            grid.AddRow("committees", Labels.Text(string.Join(", ", decision.SubjectCommittees.Select(Labels.Id))));
            grid.AddRow("changes", Labels.Text(string.Join(", ", decision.Changes.Select(change => change.KindCase.ToString()))));
            grid.AddRow("state", Labels.Text(State(decision.State)));
            grid.AddRow("source", Labels.Text(Cited(decision.Source)));
            foreach (var other in decision.AdditionalSources)
            {
                grid.AddRow("", Labels.Text(Cited(other)));
            }

            call.Console.Write(grid);
            if (decision.RejectionReasons.Count > 0)
            {
                call.Console.Write(ProblemsTable(decision.RejectionReasons));
            }
        }));
        return show;
    }

    private static Command CreateDraft()
    {
        var file = new Option<FileInfo>("--file", "-f")
        {
            Description = "The decision file: YAML or protobuf JSON (by extension, else by content), as `decisions show -o yaml|json` prints it.",
            Required = true,
        };
        var id = new Option<string>("--id") { Description = "The new decision's id (3..63 of a-z, 0-9, '-', starting with a letter); assigned by the server when left out." };
        var update = new Option<string>("--update") { Description = "Change this draft instead: the fields the file sets replace the draft's (against the file's etag when the file was shown from this draft)." };
        var requestId = new Option<string>("--request-id") { Description = "Idempotency key (UUID); by default derived from the file's content, so running the command again does not draft twice." };
        var draft = new Command("draft", "Records a draft decision from a file (nothing changes in the register until it is issued).") { file, id, update, requestId };
        draft.Validators.Add(result =>
        {
            if (result.GetResult(id) is not null && result.GetResult(update) is not null)
            {
                result.AddError("--id names a new draft and --update an existing one: give one of them.");
            }
        });
        draft.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Decisions, async call =>
        {
            var decisionFile = DecisionFile.Read(parseResult.GetRequiredValue(file).FullName);
            var client = new DecisionsService.DecisionsServiceClient(call.Channel);
            Decision drafted;
            if (parseResult.GetValue(update) is { } updated)
            {
                drafted = await UpdateAsync(call, client, decisionFile, "decisions/" + Labels.Id(updated), parseResult.GetValue(requestId), cancellationToken);
            }
            else
            {
                var decisionId = parseResult.GetValue(id) is { } chosen ? Labels.Id(chosen) : string.Empty;
                drafted = await client.CreateDecisionAsync(
                    new CreateDecisionRequest
                    {
                        Decision = decisionFile.Draft,
                        DecisionId = decisionId,
                        RequestId = parseResult.GetValue(requestId)
                            ?? ProtoDocuments.RequestId($"steeringctl/draft/{decisionId}/{JsonFormatter.Default.Format(decisionFile.Draft)}"),
                    },
                    call.Headers,
                    cancellationToken: cancellationToken);
            }

            if (call.WantsDocument)
            {
                call.WriteDocument(drafted);
                return;
            }

            var draftId = Labels.Id(drafted.Name);
            call.Console.MarkupLine($"Drafted [bold]{Markup.Escape(drafted.Name)}[/] ({State(drafted.State)}).");
            call.Console.MarkupLine(Markup.Escape($"Next: `steeringctl decisions validate {draftId}` lists every problem; `steeringctl decisions issue {draftId}` issues it."));
        }));
        return draft;
    }

    // UpdateDecision of exactly the fields the file sets, against the version the file was shown from when it is this
    // draft's (a change made meanwhile is then refused), else against the current version.
    private static async Task<Decision> UpdateAsync(
        RemoteCall call, DecisionsService.DecisionsServiceClient client, DecisionFile decisionFile, string name, string? requestId, CancellationToken cancellationToken)
    {
        if (decisionFile.Fields.Count == 0)
        {
            throw new BadUsageException($"{decisionFile.Path}: sets no field a draft can change (see services/Cli/README.md).");
        }

        var decision = decisionFile.Draft.Clone();
        decision.Name = name;
        decision.Etag = decisionFile.Name == name && decisionFile.Etag.Length > 0
            ? decisionFile.Etag
            : (await client.GetDecisionAsync(new GetDecisionRequest { Name = name }, call.Headers, cancellationToken: cancellationToken)).Etag;
        var request = new UpdateDecisionRequest { Decision = decision, UpdateMask = new FieldMask { Paths = { decisionFile.Fields } } };
        request.RequestId = requestId ?? ProtoDocuments.RequestId($"steeringctl/update/{request}");
        return await client.UpdateDecisionAsync(request, call.Headers, cancellationToken: cancellationToken);
    }

    private static Command CreateValidate()
    {
        var id = new Argument<string>("id") { Description = "The draft's id (as `decisions draft` printed it)." };
        var validate = new Command("validate", "Checks a draft as issuing would (this service's checks and Membership's) and lists every problem; exits 6 when there is one.") { id };
        validate.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Decisions, async call =>
        {
            var client = new DecisionsService.DecisionsServiceClient(call.Channel);
            var name = "decisions/" + Labels.Id(parseResult.GetRequiredValue(id));
            var response = await client.ValidateDecisionAsync(new ValidateDecisionRequest { Name = name }, call.Headers, cancellationToken: cancellationToken);
            var exitCode = response.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Problems;
            if (call.WantsDocument)
            {
                call.WriteDocument(response);
                return exitCode;
            }

            if (response.Problems.Count == 0)
            {
                call.Console.WriteLine($"{name}: no problems; issue it with `steeringctl decisions issue {Labels.Id(name)}`.");
                return exitCode;
            }

            call.Console.Write(ProblemsTable(response.Problems));
            call.Console.WriteLine($"{response.Problems.Count} problem(s): correct the file and run `steeringctl decisions draft -f FILE --update {Labels.Id(name)}`, then validate again.");
            return exitCode;
        }));
        return validate;
    }

    private static Command CreateIssue()
    {
        var id = new Argument<string>("id") { Description = "The draft's id." };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once issued, without waiting for Membership to apply or reject it." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for Membership's answer (e.g. 00:02:00); the decision stays issued either way.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(2),
        };
        var requestId = new Option<string>("--request-id") { Description = "Idempotency key (UUID); by default derived from the draft's version, so a retry issues once." };
        var issue = new Command("issue", "Issues a draft (frozen from then on); Membership then applies it or rejects it with its reasons.") { id, noWait, timeout, requestId };
        issue.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Decisions, async call =>
        {
            var client = new DecisionsService.DecisionsServiceClient(call.Channel);
            var name = "decisions/" + Labels.Id(parseResult.GetRequiredValue(id));
            var draft = await client.GetDecisionAsync(new GetDecisionRequest { Name = name }, call.Headers, cancellationToken: cancellationToken);
            var decision = await client.IssueDecisionAsync(
                new IssueDecisionRequest
                {
                    Name = name,
                    Etag = draft.Etag,
                    RequestId = parseResult.GetValue(requestId) ?? ProtoDocuments.RequestId($"steeringctl/issue/{name}/{draft.Etag}"),
                },
                call.Headers,
                cancellationToken: cancellationToken);
            var wait = !parseResult.GetValue(noWait);
            if (wait)
            {
                decision = await AwaitOutcomeAsync(call, client, decision, parseResult.GetValue(timeout), cancellationToken);
            }

            if (call.WantsDocument)
            {
                call.WriteDocument(decision);
            }

            return Report(call, decision, waited: wait);
        }));
        return issue;
    }

    // Membership answers through the bus: ask until the decision is no longer ISSUED (with a spinner at a terminal).
    private static async Task<Decision> AwaitOutcomeAsync(
        RemoteCall call, DecisionsService.DecisionsServiceClient client, Decision decision, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        async Task<Decision> PollAsync()
        {
            var current = decision;
            try
            {
                while (current.State == DecisionState.Issued)
                {
                    await Task.Delay(OutcomePollInterval, deadline.Token);
                    current = await client.GetDecisionAsync(new GetDecisionRequest { Name = decision.Name }, call.Headers, cancellationToken: deadline.Token);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
                && !cancellationToken.IsCancellationRequested)
            {
                // The timeout: report the decision as still issued.
            }

            return current;
        }

        return call.Console.Profile.Capabilities.Interactive
            ? await call.Console.Status().StartAsync(Markup.Escape($"{decision.Name} issued; waiting for Membership to apply it..."), _ => PollAsync())
            : await PollAsync();
    }

    // Exit 0 once applied (or issued with --no-wait), 6 when rejected, 1 when Membership has not answered in time.
    private static int Report(RemoteCall call, Decision decision, bool waited)
    {
        var human = !call.WantsDocument;
        var id = Labels.Id(decision.Name);
        switch (decision.State)
        {
            case DecisionState.Applied:
                if (human)
                {
                    call.Console.MarkupLine($"[green]applied[/]: {Markup.Escape(decision.Name)} is in force; see {Markup.Escape(string.Join(", ", decision.SubjectCommittees.Select(committee => $"`steeringctl committees show {Labels.Id(committee)}`")))}.");
                }

                return ExitCodes.Ok;
            case DecisionState.Rejected:
                if (human)
                {
                    call.Console.MarkupLine($"[red]rejected[/]: Membership applied nothing of {Markup.Escape(decision.Name)}, because:");
                    call.Console.Write(ProblemsTable(decision.RejectionReasons));
                    call.Console.WriteLine("A rejected decision stays on record; draft a corrected one (`steeringctl decisions show " + id + " -o yaml > fixed.yaml`, edit, `decisions draft -f fixed.yaml`).");
                }

                return ExitCodes.Problems;
            default:
                if (human)
                {
                    call.Console.WriteLine(waited
                        ? $"still issued: Membership has not answered yet (is it running?); `steeringctl decisions show {id}` tells the outcome later."
                        : $"issued: {decision.Name} is waiting for Membership; `steeringctl decisions show {id}` tells the outcome.");
                }

                return waited ? ExitCodes.Failed : ExitCodes.Ok;
        }
    }

    private static Table ProblemsTable(IEnumerable<ValidationProblem> problems)
    {
        var table = new Table().AddColumn(new TableColumn("field").NoWrap()).AddColumn(new TableColumn("reason").NoWrap()).AddColumn("description");
        foreach (var problem in problems)
        {
            table.AddRow(problem.Field.Length > 0 ? Markup.Escape(problem.Field) : "(the decision)", Labels.Text(problem.Reason), Labels.Text(problem.Description));
        }

        return table;
    }

    /// <summary>A source as cited: its title and address, as far as it has them.</summary>
    private static string Cited(SourceCitation? source) =>
        string.Join(" — ", new[] { source?.Title, source?.Uri }.Where(text => !string.IsNullOrEmpty(text)));

    // The article gives no number for some decisions: say so rather than print an empty cell.
    private static string NumberOf(Decision decision) =>
        decision.Number is { Length: > 0 } number ? Markup.Escape(number) : "[dim](number not in the source)[/]";

    private static string Kind(DecisionKind kind) => kind.ToString().ToLowerInvariant();

    private static string State(DecisionState state) => state.ToString().ToLowerInvariant();
}
