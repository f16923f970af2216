using System.CommandLine;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Membership.V1;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary>
/// <c>steeringctl committees list|show</c>: the register as a clerk reads it.
/// <code>
/// steeringctl committees list [--level province] [--as-of 2020-12-31]
/// steeringctl committees show gia-lai-2020-e-government [--as-of 2020-12-31]
/// </code>
/// </summary>
public static class CommitteesCommands
{
    public static Command Create() => new("committees", "The steering committees: list them, show one with its members.")
    {
        CreateList(),
        CreateShow(),
    };

    private static Command CreateList()
    {
        var levels = RemoteOptions.LevelsOption("Only committees of these levels (repeatable).");
        var asOf = RemoteOptions.DateOption("--as-of", "The date to answer for (YYYY-MM-DD); default today.");
        var list = new Command("list", "The committees in force on the date, in Vietnamese name order.") { levels, asOf };
        list.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Membership, async call =>
        {
            var client = new MembershipService.MembershipServiceClient(call.Channel);
            var request = new ListCommitteesRequest { PageSize = 500, AsOf = parseResult.GetValue(asOf) };
            request.Levels.AddRange((parseResult.GetValue(levels) ?? []).Select(Labels.ParseLevel));
            var all = new ListCommitteesResponse
            {
                Committees =
                {
                    await Pages.AllAsync<Committee>(async pageToken =>
                    {
                        request.PageToken = pageToken;
                        var page = await client.ListCommitteesAsync(request, call.Headers, cancellationToken: cancellationToken);
                        return (page.Committees, page.NextPageToken);
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
                .AddColumns("name", "level", "jurisdiction", "compliance");
            foreach (var committee in all.Committees)
            {
                table.AddRow(
                    Labels.Text(Labels.Id(committee.Name)),
                    Labels.Text(committee.DisplayName),
                    Labels.Level(committee.Level),
                    Labels.Text(committee.Jurisdiction),
                    Labels.Compliance(committee.ComplianceStatus));
            }

            call.Console.Write(table);
            call.Console.WriteLine($"{all.Committees.Count} committee(s) as of {Labels.Date(request.AsOf)}");
        }));
        return list;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("id") { Description = "The committee's id (as `committees list` shows it) or resource name." };
        var asOf = RemoteOptions.DateOption("--as-of", "The date to answer for (YYYY-MM-DD); default today.");
        var show = new Command("show", "One committee on a date: its members (chair first, roles in order) and working groups.")
        {
            id, asOf,
        };
        show.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Membership, async call =>
        {
            var client = new MembershipService.MembershipServiceClient(call.Channel);
            var view = await client.GetCommitteeViewAsync(
                new GetCommitteeViewRequest { Committee = "committees/" + Labels.Id(parseResult.GetRequiredValue(id)), AsOf = parseResult.GetValue(asOf) },
                call.Headers,
                cancellationToken: cancellationToken);
            if (call.WantsDocument)
            {
                call.WriteDocument(view);
                return;
            }

            Print(call.Console, view);
        }));
        return show;
    }

    internal static void Print(IAnsiConsole console, CommitteeView view)
    {
        var committee = view.Committee;
        console.MarkupLine($"[bold]{Labels.Text(committee.DisplayName)}[/] ({Labels.Text(Labels.Id(committee.Name))}) as of {Labels.Date(view.AsOf)}");
        var absence = AbsenceOf(committee);
        if (absence is not null)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(absence.What)}[/]{Markup.Escape(absence.Advice)}");
        }

        // A verdict on a committee that does not exist on the date says nothing about it.
        var compliance = absence is null ? Labels.Compliance(view.Compliance?.Status ?? ComplianceStatus.Unspecified) : "-";
        console.MarkupLine($"Last consolidation: {Labels.Text(view.LastConsolidationNumber)} ({Labels.Date(view.LastConsolidationDate)})    Compliance: {compliance}");
        if (committee.FocalAgency is { } focal)
        {
            console.MarkupLine($"Focal agency: {Labels.Text(focal.DisplayName)}");
        }

        if (committee.State == CommitteeState.NotRecorded)
        {
            console.MarkupLine($"[yellow]Existed before its record starts ({Labels.Date(committee.RecordStartDate)}); founding and details then not recorded[/]");
        }

        if (committee.BeyondConfirmedRecord)
        {
            console.MarkupLine($"[yellow]Beyond the confirmed record: no source confirms this state after {Labels.Date(committee.ConfirmedThrough)}[/]");
        }

        var members = new Table().AddColumn("#").AddColumns("role", "name", "post", "since");
        foreach (var (membership, index) in view.Memberships.Select((membership, index) => (membership, index + 1)))
        {
            members.AddRow(
                index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Labels.Text(Labels.Roles(membership)),
                membership.HolderNotKnown ? "[dim](holder of the post not known on this date)[/]"
                    : string.IsNullOrEmpty(membership.PersonDisplayName) ? "[dim](vacant or not named in the source)[/]" : Markup.Escape(membership.PersonDisplayName),
                Labels.Text(membership.PostDisplayName),
                Labels.Date(membership.StartDate) + (membership.Certainty == Certainty.Uncertain ? " [yellow](uncertain)[/]" : ""));
        }

        console.Write(members);
        var absent = absence is null ? string.Empty : $" ({absence.What.ToLowerInvariant()})";
        console.WriteLine(view.UncertainMemberCount > 0
            ? $"{view.Memberships.Count} membership(s){absent}: {view.MemberCount} member(s) certain, {view.UncertainMemberCount} uncertain on this date"
            : $"{view.Memberships.Count} membership(s){absent}");
        foreach (var group in view.WorkingGroups)
        {
            console.MarkupLine($"Working group: {Labels.Text(group.DisplayName)} ({group.Members.Count} member(s))");
        }
    }

    // Why a committee has no members on the date, from its state there (null while it is active).
    private static Absence? AbsenceOf(Committee committee) => committee.State switch
    {
        CommitteeState.Merged when committee.Successor.Length > 0 => new(
            $"Merged into {Labels.Id(committee.Successor)} on {Labels.Date(committee.EndDate)}",
            $": its members are the successor's from then on, see `steeringctl committees show {Labels.Id(committee.Successor)}`."),
        CommitteeState.Merged => new($"Merged on {Labels.Date(committee.EndDate)}", ": no successor is recorded."),
        CommitteeState.Dissolved => new($"Dissolved on {Labels.Date(committee.EndDate)}", "."),
        CommitteeState.JurisdictionEnded => new(
            $"Ended with its jurisdiction on {Labels.Date(committee.EndDate)}", $": {committee.Jurisdiction} ceased; no source names a successor."),
        CommitteeState.Planned => new("Not founded yet on this date", $": founded on {Labels.Date(committee.FoundingDate)}."),
        _ => null,
    };

    private sealed record Absence(string What, string Advice);
}
