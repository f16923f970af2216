using Egov.Steering.Membership.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.EntityFrameworkCore;
using static Egov.Steering.Membership.Tests.Grpc.CommitteeApiTests;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;
using T = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>Compliance rules, the dry run of a decision and the two cached views through the real gRPC pipeline.</summary>
public class ComplianceAndPreviewApiTests(MembershipApiHost host) : IClassFixture<MembershipApiHost>
{
    private readonly MembershipService.MembershipServiceClient reader = host.Client(DaNang2025);

    [Fact]
    public async Task The_seeded_rules_are_listed_by_name()
    {
        var rules = await reader.ListComplianceRulesAsync(new ListComplianceRulesRequest { ShowDisabled = true });
        var rule = await reader.GetComplianceRuleAsync(new GetComplianceRuleRequest { Name = "complianceRules/consolidated-after-701" });

        Assert.Equal(rules.ComplianceRules.Select(r => r.Name).Order(StringComparer.Ordinal), rules.ComplianceRules.Select(r => r.Name));
        Assert.Contains("complianceRules/consolidated-after-701", rules.ComplianceRules.Select(r => r.Name));
        Assert.Equal((2020, 5, 26), (rule.ConsolidatedSince.Since.Year, rule.ConsolidatedSince.Since.Month, rule.ConsolidatedSince.Since.Day));
        Assert.Equal([T.CommitteeLevel.Ministry, T.CommitteeLevel.Province], rule.Levels);
        await Failure.CodeAsync(reader.GetComplianceRuleAsync(new GetComplianceRuleRequest { Name = "complianceRules/khong-co" }), Code.NotFound);
    }

    [Fact]
    public async Task A_new_rule_is_admin_only_and_reevaluates_every_committee()
    {
        var rule = new ComplianceRule
        {
            DisplayName = "Có ít nhất ba thành viên",
            SourceDecision = "thử nghiệm",
            // Only a rule citing its source is evaluated.
            Source = "Quy tắc thử nghiệm của bộ kiểm thử",
            Levels = { T.CommitteeLevel.Province },
            Enabled = true,
            RoleCount = new RoleCount { Role = T.MembershipRole.Chair, Minimum = 1, Maximum = 1 },
        };
        Assert.DoesNotContain(
            await host.WithDbAsync(async db => (await db.CommitteeCompliance.SingleAsync(c => c.CommitteeId == "bcd-da-nang")).Findings),
            f => f.RuleId == "one-chair-test");
        await Failure.CodeAsync(
            host.Writer(DaNang2025).CreateComplianceRuleAsync(new CreateComplianceRuleRequest { ComplianceRule = rule, ComplianceRuleId = "one-chair-test" }),
            Code.PermissionDenied);

        var created = await host.AdminClient().CreateComplianceRuleAsync(new CreateComplianceRuleRequest { ComplianceRule = rule, ComplianceRuleId = "one-chair-test" });

        Assert.Equal("complianceRules/one-chair-test", created.Name);
        var record = await host.WithDbAsync(db => db.CommitteeCompliance.SingleAsync(c => c.CommitteeId == "bcd-da-nang"));
        // Da Nang's committee has no member recorded: a rule about its roster cannot decide.
        Assert.Equal(Egov.Steering.Membership.Domain.ComplianceStatus.Unknown, record.Findings.Single(f => f.RuleId == "one-chair-test").Status);
        var daNang = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-da-nang" });
        Assert.Equal((int)record.Status, (int)daNang.ComplianceStatus);
        await Failure.CodeAsync(
            host.AdminClient().CreateComplianceRuleAsync(new CreateComplianceRuleRequest { ComplianceRule = rule, ComplianceRuleId = "one-chair-test" }),
            Code.AlreadyExists);
        await Failure.InvalidAsync(
            host.AdminClient().CreateComplianceRuleAsync(new CreateComplianceRuleRequest
            {
                ComplianceRuleId = "X",
                ComplianceRule = new ComplianceRule { DisplayName = "Không điều kiện", SourceDecision = "thử", Levels = { (T.CommitteeLevel)9 } },
            }),
            "compliance_rule_id", "compliance_rule.levels[0]", "compliance_rule.condition");
    }

    [Fact]
    public async Task Disabling_a_rule_needs_its_current_etag_and_hides_it_from_the_default_list()
    {
        var admin = host.AdminClient();
        var rule = await admin.GetComplianceRuleAsync(new GetComplianceRuleRequest { Name = "complianceRules/consolidated-after-701" });
        var disable = new UpdateComplianceRuleRequest { ComplianceRule = rule.Clone().Also(r => r.Enabled = false), UpdateMask = new FieldMask { Paths = { "enabled" } } };

        var disabled = await admin.UpdateComplianceRuleAsync(disable);

        Assert.False(disabled.Enabled);
        Assert.NotEqual(rule.Etag, disabled.Etag);
        Assert.DoesNotContain(disabled.Name, (await reader.ListComplianceRulesAsync(new ListComplianceRulesRequest())).ComplianceRules.Select(r => r.Name));
        await Failure.CodeAsync(admin.UpdateComplianceRuleAsync(disable), Code.Aborted);
        await Failure.CodeAsync(host.Writer(DaNang2025).UpdateComplianceRuleAsync(disable), Code.PermissionDenied);
        await Failure.InvalidAsync(
            admin.UpdateComplianceRuleAsync(new UpdateComplianceRuleRequest { ComplianceRule = disabled, UpdateMask = new FieldMask { Paths = { "kind" } } }),
            "update_mask.paths[0]");
    }

    [Fact]
    public async Task Preview_returns_every_problem_and_writes_nothing()
    {
        var changes = new[]
        {
            new T.Change { Appoint = new T.Appoint { Committee = "committees/bcd-da-nang", Entry = Entry("people/khong-co", T.MembershipRole.Chair) } },
            new T.Change { Appoint = new T.Appoint { Committee = "committees/bcd-gia-lai-2025", Entry = Entry("people/ho-phuoc-thanh", T.MembershipRole.Member) } },
        };
        var request = new PreviewChangesRequest
        {
            EffectiveDate = new T.CivilDate { Year = 2025, Month = 8, Day = 1, Precision = T.DatePrecision.Day },
            OwnerOrganisation = DaNang2025,
            Changes = { changes },
        };

        var preview = await reader.PreviewChangesAsync(request);

        Assert.Equal(
            [("changes[0].appoint.entry.holder.person", "UNKNOWN_PERSON"), ("changes[1].appoint.committee", "NOT_OWNER")],
            preview.Problems.Select(p => (p.Field, p.Reason)));
        var valid = await reader.PreviewChangesAsync(new PreviewChangesRequest
        {
            EffectiveDate = request.EffectiveDate,
            OwnerOrganisation = DaNang2025,
            Changes = { new T.Change { Appoint = new T.Appoint { Committee = "committees/bcd-da-nang", Entry = Entry("people/ho-phuoc-thanh", T.MembershipRole.Chair) } } },
        });
        Assert.Empty(valid.Problems);
        Assert.Equal(["committees/bcd-da-nang"], valid.AffectedCommittees);
        Assert.Equal(0, await host.WithDbAsync(db => db.Committees.Where(c => c.Id == "bcd-da-nang").SelectMany(c => c.Memberships).CountAsync()));
        await Failure.InvalidAsync(reader.PreviewChangesAsync(new PreviewChangesRequest { Decision = "quyet-dinh/1" }), "decision", "effective_date", "owner_organisation");
    }

    [Fact]
    public async Task Preview_checks_each_subject_committee_exists_and_belongs_to_the_owner()
    {
        var request = new PreviewChangesRequest
        {
            EffectiveDate = new T.CivilDate { Year = 2025, Month = 8, Day = 1, Precision = T.DatePrecision.Day },
            OwnerOrganisation = DaNang2025,
            Changes = { new T.Change { Appoint = new T.Appoint { Committee = "committees/bcd-da-nang", Entry = Entry("people/ho-phuoc-thanh", T.MembershipRole.Chair) } } },
            SubjectCommittees = { "committees/bcd-da-nang", "committees/bcd-gia-lai-2025", "committees/bcd-khong-co" },
        };

        var foreign = await reader.PreviewChangesAsync(request);
        request.OwnerOrganisation = "national";
        request.SubjectCommittees.RemoveAt(2);
        var national = await reader.PreviewChangesAsync(request);

        Assert.Equal(
            [("subject_committees[1]", "NOT_OWNER"), ("subject_committees[2]", "UNKNOWN_COMMITTEE")],
            foreign.Problems.Select(p => (p.Field, p.Reason)));
        Assert.Empty(national.Problems);
        Assert.Equal(["committees/bcd-da-nang", "committees/bcd-gia-lai-2025"], national.AffectedCommittees);
        // What Decisions routes the events by, from the same dry run; an unknown committee is not listed.
        Assert.Equal(
            [("committees/bcd-da-nang", T.CommitteeLevel.Province, DaNang2025), ("committees/bcd-gia-lai-2025", T.CommitteeLevel.Province, GiaLai2025)],
            foreign.SubjectCommittees.Select(c => (c.Name, c.Level, c.Jurisdiction)));
    }

    [Fact]
    public async Task The_views_answer_as_of_the_date()
    {
        var view = await reader.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = "committees/bcd-gia-lai", AsOf = Day(2021, 1, 1) });
        var overview2024 = await reader.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = Day(2024, 1, 1) });
        var overview2025 = await reader.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = Day(2025, 7, 1) });

        Assert.Equal(["Trương Hải Long", "Trần Thị B"], view.Memberships.Select(m => m.PersonDisplayName));
        Assert.Equal(63, overview2024.Rows.Count(r => r.Level == T.CommitteeLevel.Province));
        Assert.Equal(34, overview2025.Rows.Count(r => r.Level == T.CommitteeLevel.Province));
        Assert.Equal("committees/bcd-gia-lai-2025", overview2025.Rows.Single(r => r.Organisation == GiaLai2025).Committee);
        await Failure.CodeAsync(reader.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = "committees/khong-co" }), Code.NotFound);
        await Failure.InvalidAsync(
            reader.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = "bcd-gia-lai", AsOf = Day(2021, 2, 1) }), "committee");

        // A date that is no date is refused at the edge, before the method's own checks.
        await Failure.InvalidAsync(
            reader.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = "bcd-gia-lai", AsOf = Day(2021, 2, 30) }), "as_of");
    }

    private static T.RosterEntry Entry(string person, T.MembershipRole role) =>
        new() { Holder = new T.Holder { Person = person }, Roles = { role } };

    [Fact]
    public async Task A_dry_run_with_a_hundred_thousand_problems_answers_the_first_hundred_and_how_many_more()
    {
        // A request Membership accepts (under 1 MiB) whose every roster entry names a holder mistyped: one problem each,
        // ~13 MB of them, past the 4 MiB a default client (Decisions') reads.
        var request = new PreviewChangesRequest
        {
            EffectiveDate = new T.CivilDate { Year = 2025, Month = 8, Day = 1, Precision = T.DatePrecision.Day },
            OwnerOrganisation = DaNang2025,
        };
        for (var change = 0; change < 100; change++)
        {
            var roster = new T.SetRoster { Committee = "committees/bcd-da-nang" };
            roster.Entries.Add(Enumerable.Range(0, 1000).Select(_ => new T.RosterEntry { Holder = new T.Holder { Person = "x" }, Roles = { T.MembershipRole.Member } }));
            request.Changes.Add(new T.Change { SetRoster = roster });
        }

        var preview = await reader.PreviewChangesAsync(request);

        Assert.Equal(101, preview.Problems.Count);
        Assert.All(preview.Problems.Take(100), problem => Assert.Equal("INVALID_NAME", problem.Reason));
        Assert.Equal(("MORE_PROBLEMS", true), (preview.Problems[100].Reason, preview.Problems[100].Description.Contains("99900 more", StringComparison.Ordinal)));
    }
}
