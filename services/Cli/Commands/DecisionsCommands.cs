using System.CommandLine;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Decisions.V1;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary>
/// <c>steeringctl decisions list|show</c>: the decisions that changed the register, as recorded.
/// <code>
/// steeringctl decisions list [--committee gia-lai-2020-e-government] [--number qd-ttg]
/// steeringctl decisions show gia-lai-2020-bo-sung
/// </code>
/// </summary>
public static class DecisionsCommands
{
    public static Command Create() => new("decisions", "The decisions (quyết định) that establish, consolidate and change committees.")
    {
        CreateList(),
        CreateShow(),
    };

    private static Command CreateList()
    {
        var committee = new Option<string>("--committee") { Description = "Only decisions concerning this committee (its id)." };
        var number = new Option<string>("--number") { Description = "Only decisions whose number contains this text (\"qd-ttg\" finds \"701/QĐ-TTg\")." };
        var list = new Command("list", "Decisions, with their number, dates, kinds and state.") { committee, number };
        list.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, async call =>
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
            if (call.WantsJson)
            {
                call.WriteJson(all);
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
        show.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, async call =>
        {
            var client = new DecisionsService.DecisionsServiceClient(call.Channel);
            var decision = await client.GetDecisionAsync(
                new GetDecisionRequest { Name = "decisions/" + Labels.Id(parseResult.GetRequiredValue(id)) },
                call.Headers,
                cancellationToken: cancellationToken);
            if (call.WantsJson)
            {
                call.WriteJson(decision);
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
            grid.AddRow("source", Labels.Text(string.Join(" — ", new[] { decision.Source?.Title, decision.Source?.Uri }.Where(text => !string.IsNullOrEmpty(text)))));
            call.Console.Write(grid);
        }));
        return show;
    }

    // The article gives no number for some decisions: say so rather than print an empty cell.
    private static string NumberOf(Decision decision) =>
        decision.Number is { Length: > 0 } number ? Markup.Escape(number) : "[dim](number not in the source)[/]";

    private static string Kind(DecisionKind kind) => kind.ToString().ToLowerInvariant();

    private static string State(DecisionState state) => state.ToString().ToLowerInvariant();
}
