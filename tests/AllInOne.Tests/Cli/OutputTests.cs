using Egov.Steering.Cli.Commands;
using Egov.Steering.Cli.Feed;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Spectre.Console;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>How steeringctl words what the services answer, for answers the sample data need not hold on every date.</summary>
public sealed class OutputTests
{
    private static readonly CivilDate July2025 = new() { Year = 2025, Month = 7, Day = 1, Precision = DatePrecision.Day };

    [Fact]
    public void A_merged_committee_says_into_which_committee_and_when_instead_of_a_bare_zero_and_a_verdict()
    {
        var view = new CommitteeView
        {
            Committee = new Committee
            {
                Name = "committees/gia-lai-2020-e-government",
                DisplayName = "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai",
                State = CommitteeState.Merged,
                Successor = "committees/gia-lai-2025",
                EndDate = July2025,
            },
            Compliance = new CommitteeCompliance { Status = ComplianceStatus.NotCompliant },
        };

        var printed = Print(view);

        Assert.Contains("Merged into gia-lai-2025 on 2025-07-01", printed, StringComparison.Ordinal);
        Assert.Contains("steeringctl committees show gia-lai-2025", printed, StringComparison.Ordinal);
        Assert.Contains("0 membership(s) (merged into gia-lai-2025 on 2025-07-01)", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("not compliant", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_committee_shows_its_verdict_and_no_state_line()
    {
        var view = new CommitteeView
        {
            Committee = new Committee { Name = "committees/c", DisplayName = "Ban", State = CommitteeState.Active },
            Compliance = new CommitteeCompliance { Status = ComplianceStatus.NotCompliant },
        };

        var printed = Print(view);

        Assert.Contains("Compliance: not compliant", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Merged", printed, StringComparison.Ordinal);
        Assert.Contains("0 membership(s)\n", printed.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_committee_ended_with_its_province_says_so_and_a_seat_whose_holder_is_not_known_says_that()
    {
        var ended = new CommitteeView
        {
            Committee = new Committee
            {
                Name = "committees/c", DisplayName = "Ban", State = CommitteeState.JurisdictionEnded, Jurisdiction = "province-2020-95", EndDate = July2025,
            },
        };
        var active = new CommitteeView { Committee = new Committee { Name = "committees/n", DisplayName = "Ủy ban", State = CommitteeState.Active } };
        active.Memberships.Add(new CommitteeMembership { PostDisplayName = "Phó Thủ tướng Chính phủ", HolderNotKnown = true });

        Assert.Contains("Ended with its jurisdiction on 2025-07-01: province-2020-95 ceased", Print(ended), StringComparison.Ordinal);
        Assert.Contains("(holder of the post not known on this date)", Print(active), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "ban hành / issued: Bổ sung thành viên")]
    [InlineData("337/QĐ-UBND", "ban hành / issued: 337/QĐ-UBND Bổ sung thành viên")]
    public void A_feed_line_of_a_decision_without_a_number_has_no_double_space(string number, string expected)
    {
        var envelope = new EventEnvelope
        {
            Position = 7,
            Type = DecisionIssued.Descriptor.FullName,
            DecisionIssued = new DecisionIssued { Decision = new Egov.Steering.Decisions.V1.Decision { Number = number, Title = "Bổ sung thành viên" } },
        };

        var line = Markup.Remove(EventSummary.Line(envelope));

        Assert.EndsWith(expected, line, StringComparison.Ordinal);
    }

    private static string Print(CommitteeView view)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        CommitteesCommands.Print(console, view);
        return output.ToString();
    }
}
