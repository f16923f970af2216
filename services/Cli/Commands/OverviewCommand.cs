using System.CommandLine;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Membership.V1;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary>
/// <c>steeringctl overview [--as-of 2020-12-31]</c>: the national overview, one row per ministry and province with its
/// committee, chair, last consolidation and compliance (rows with no committee registered included).
/// </summary>
public static class OverviewCommand
{
    public static Command Create()
    {
        var asOf = RemoteOptions.DateOption("--as-of", "The date to answer for (YYYY-MM-DD); default today.");
        var overview = new Command("overview", "The national committee and every ministry and province with its committee's compliance.")
        {
            asOf,
        };
        overview.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Membership, async call =>
        {
            var client = new MembershipService.MembershipServiceClient(call.Channel);
            var national = await client.GetNationalOverviewAsync(
                new GetNationalOverviewRequest { AsOf = parseResult.GetValue(asOf) },
                call.Headers,
                cancellationToken: cancellationToken);
            if (call.WantsDocument)
            {
                call.WriteDocument(national);
                return;
            }

            var committee = national.NationalCommittee?.Committee;
            call.Console.MarkupLine($"[bold]{Labels.Text(committee?.DisplayName)}[/] as of {Labels.Date(national.AsOf)}: {national.NationalCommittee?.Memberships.Count ?? 0} membership(s)");
            var table = new Table()
                .AddColumns("organisation", "level", "committee", "members", "chair", "last consolidation", "compliance");
            foreach (var row in national.Rows)
            {
                table.AddRow(
                    Labels.Text(row.OrganisationDisplayName),
                    Labels.Level(row.Level),
                    string.IsNullOrEmpty(row.Committee) ? "[dim](none registered)[/]" : Markup.Escape(Labels.Id(row.Committee)),
                    row.MemberCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    // The post when the source names no person: "Chủ tịch UBND tỉnh Gia Lai" says more than "-".
                    Labels.Text(row.ChairDisplayName is { Length: > 0 } chair ? chair : row.ChairPostDisplayName),
                    string.IsNullOrEmpty(row.LastConsolidationNumber) && row.LastConsolidationDate is null
                        ? "-"
                        : $"{Labels.Text(row.LastConsolidationNumber)} ({Labels.Date(row.LastConsolidationDate)})",
                    Labels.Compliance(row.ComplianceStatus));
            }

            call.Console.Write(table);
            var counts = national.Rows.GroupBy(row => row.ComplianceStatus).OrderBy(group => group.Key)
                .Select(group => $"{Markup.Remove(Labels.Compliance(group.Key))}: {group.Count()}");
            call.Console.WriteLine($"{national.Rows.Count} row(s); {string.Join(", ", counts)}");
        }));
        return overview;
    }
}
