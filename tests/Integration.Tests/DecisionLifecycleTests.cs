using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using Npgsql;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests;

/// <summary>
/// Decisions drafted, validated and issued by Gia Lai's system through Decisions, applied or rejected by Membership over
/// the bus, read back through both APIs.
/// </summary>
public sealed class DecisionLifecycleTests(SuiteBroker broker) : SystemTests(broker)
{
    private const string BinhDinh = "province-2020-52";


    [Fact]
    public async Task A_consolidation_is_validated_issued_and_applied_and_the_view_shows_the_new_members()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var truong = await Gialai.PersonAsync("Trương Hải Long");
        var nguyen = await Gialai.PersonAsync("Nguyễn Văn A");
        await Gialai.ApplyAsync(Founding(vo));

        var draft = await Gialai.CreateAsync(Draft("15/QĐ-UBND", Day(2020, 11, 1), DecisionKind.Consolidate, new Change
        {
            SetRoster = new SetRoster { Committee = Committee, Entries = { Entry(truong, MembershipRole.Chair), Entry(nguyen, MembershipRole.Member) } },
        }));
        Assert.Empty((await Gialai.Decisions.ValidateDecisionAsync(new ValidateDecisionRequest { Name = draft.Name })).Problems);
        var issued = await Gialai.Decisions.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag });
        Assert.Equal(DecisionState.Issued, issued.State);

        await Gialai.OutcomeAsync(issued.Name);
        Assert.Equal(DecisionState.Applied, (await Gialai.Decisions.GetDecisionAsync(new GetDecisionRequest { Name = issued.Name })).State);
        Assert.Equal([(truong, MembershipRole.Chair), (nguyen, MembershipRole.Member)], await Gialai.MembersAsync());
    }

    [Fact]
    public async Task An_applied_decision_and_the_membership_it_starts_reach_the_notifications_feed()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var founding = await Gialai.ApplyAsync(Founding(vo));

        var feed = Services.NotificationsClient(Province);
        await Eventually.WaitUntilAsync(
            async () =>
            {
                var types = (await feed.ListEventsAsync(new ListEventsRequest { PageSize = 500 })).Events
                    .Where(e => e.Subject == founding.Name || e.Subject.StartsWith(Committee + "/", StringComparison.Ordinal))
                    .Select(e => e.Type)
                    .ToHashSet();
                return types.Contains("egov.steering.events.v1.DecisionApplied") && types.Contains("egov.steering.events.v1.MembershipStarted");
            },
            "the founding decision's events on the feed");
    }

    [Fact]
    public async Task A_decision_that_no_longer_fits_when_applied_is_rejected_with_every_reason_and_changes_nothing()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var truong = await Gialai.PersonAsync("Trương Hải Long");
        var nguyen = await Gialai.PersonAsync("Nguyễn Văn A");
        await Gialai.ApplyAsync(Draft("337/QĐ-UBND", Day(2019, 6, 20), DecisionKind.Establish,
            Founding(vo).Changes[0], Appoint(vo, MembershipRole.Member)));

        // Both are issued before either is applied (Decisions' outbox waits for a broker), so each was checked against
        // a committee without a chair. They are mirror images: the one issued first is applied, and the other then
        // names a second chair and appoints a member twice.
        await Services.RestartDecisionsAsync(UnreachableBroker(), brokerIsUp: false);
        var truongChairs = await Gialai.IssueAsync(Draft("20/QĐ-UBND", Day(2020, 1, 1), DecisionKind.Amend,
            Appoint(truong, MembershipRole.Chair), Appoint(nguyen, MembershipRole.Member)));
        var nguyenChairs = await Gialai.IssueAsync(Draft("21/QĐ-UBND", Day(2020, 1, 1), DecisionKind.Amend,
            Appoint(nguyen, MembershipRole.Chair), Appoint(truong, MembershipRole.Member)));
        await Services.RestartDecisionsAsync(Broker.Uri);

        await Gialai.OutcomeAsync(truongChairs.Name);
        var rejected = await Gialai.OutcomeAsync(nguyenChairs.Name, DecisionState.Rejected);
        Assert.Equal(
            [("changes[0].appoint.entry", "ALREADY_A_MEMBER"), ("changes[0].appoint.entry", "SECOND_CHAIR"), ("changes[1].appoint.entry", "ALREADY_A_MEMBER")],
            rejected.RejectionReasons.Select(r => (r.Field, r.Reason)).Order());
        Assert.Equal([(truong, MembershipRole.Chair), (nguyen, MembershipRole.Member), (vo, MembershipRole.Member)], await Gialai.MembersAsync());
    }

    [Fact]
    public async Task Two_decisions_for_one_committee_waiting_in_the_outbox_are_applied_in_issue_order_even_when_the_first_is_held_back()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var truong = await Gialai.PersonAsync("Trương Hải Long");
        var nguyen = await Gialai.PersonAsync("Nguyễn Văn A");
        await Gialai.ApplyAsync(Founding(vo));

        // Both wait in Decisions' outbox (no broker); the second consolidation builds on the first: applied first, it
        // would make the first one rewrite history.
        await Services.RestartDecisionsAsync(UnreachableBroker(), brokerIsUp: false);
        var first = await Gialai.IssueAsync(Draft("15/QĐ-UBND", Day(2020, 11, 1), DecisionKind.Consolidate, new Change
        {
            SetRoster = new SetRoster { Committee = Committee, Entries = { Entry(truong, MembershipRole.Chair), Entry(vo, MembershipRole.Member) } },
        }));
        var second = await Gialai.IssueAsync(Draft("16/QĐ-UBND", Day(2021, 1, 1), DecisionKind.Consolidate, new Change
        {
            SetRoster = new SetRoster { Committee = Committee, Entries = { Entry(nguyen, MembershipRole.Chair), Entry(truong, MembershipRole.Member) } },
        }));

        // The first one's publication failed once and waits for its retry when the broker is back.
        await Services.RestartDecisionsAsync(Broker.Uri, whileStopped: () => HoldBackOldestPendingEventAsync(TimeSpan.FromSeconds(3)));

        await Gialai.OutcomeAsync(first.Name);
        await Gialai.OutcomeAsync(second.Name);
        Assert.Equal([(truong, MembershipRole.Chair), (vo, MembershipRole.Member)], await Gialai.MembersAsync(Date(2020, 12, 31)));
        Assert.Equal([(nguyen, MembershipRole.Chair), (truong, MembershipRole.Member)], await Gialai.MembersAsync(Date(2021, 1, 1)));
    }

    [Fact]
    public async Task Validation_reports_membership_problems_together_with_the_decision_own()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        await Gialai.ApplyAsync(Founding(vo));

        var decision = Draft("22/QĐ-UBND", Day(2020, 1, 1), DecisionKind.Amend,
            Appoint("people/khong-co", MembershipRole.Member), Appoint(vo, MembershipRole.Member));
        decision.Signer = null;
        var draft = await Gialai.CreateAsync(decision);

        var problems = (await Gialai.Decisions.ValidateDecisionAsync(new ValidateDecisionRequest { Name = draft.Name })).Problems;
        var reasons = problems.Select(p => p.Reason).ToHashSet();
        Assert.Contains("MISSING_SIGNER", reasons);
        Assert.Contains("UNKNOWN_PERSON", reasons);
        Assert.Contains("ALREADY_A_MEMBER", reasons);
        var failure = await FailureAsync(Gialai.Decisions.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name }));
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, failure.StatusCode);
    }

    [Fact]
    public async Task A_decision_naming_another_provinces_committee_as_a_subject_is_a_problem_and_is_not_issued()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        await Gialai.ApplyAsync(Founding(vo));
        var binhDinhDecisions = Services.DecisionsClient(BinhDinh);

        // Bình Định's own committee, and Gia Lai's named as a subject though no change acts on it.
        var decision = BinhDinhFounding();
        var draft = await binhDinhDecisions.CreateDecisionAsync(new CreateDecisionRequest { Decision = decision });

        var problems = (await binhDinhDecisions.ValidateDecisionAsync(new ValidateDecisionRequest { Name = draft.Name })).Problems;
        Assert.Equal([("subject_committees[1]", "NOT_OWNER")], problems.Select(p => (p.Field, p.Reason)));
        var failure = await FailureAsync(binhDinhDecisions.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name }));
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, failure.StatusCode);
    }

    [Fact]
    public async Task A_revocation_restores_the_earlier_membership_from_its_effective_date_and_earlier_reads_keep_the_revoked_effect()
    {
        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var truong = await Gialai.PersonAsync("Trương Hải Long");
        await Gialai.ApplyAsync(Founding(vo));
        var consolidation = await Gialai.ApplyAsync(Draft("15/QĐ-UBND", Day(2020, 11, 1), DecisionKind.Consolidate, new Change
        {
            SetRoster = new SetRoster { Committee = Committee, Entries = { Entry(truong, MembershipRole.Chair) } },
        }));

        var revocation = await Gialai.Decisions.RevokeDecisionAsync(new RevokeDecisionRequest
        {
            Name = consolidation.Name,
            RevokingDecision = Revocation("99/QĐ-UBND", Day(2021, 3, 1), "15/QĐ-UBND"),
            RevokingDecisionId = "qd-99-ubnd-2021",
        });
        await Gialai.OutcomeAsync(revocation.Name);

        Assert.Equal(DecisionState.Revoked, (await Gialai.Decisions.GetDecisionAsync(new GetDecisionRequest { Name = consolidation.Name })).State);
        Assert.Equal([(vo, MembershipRole.Chair)], await Gialai.MembersAsync(Date(2021, 3, 1)));
        Assert.Equal([(vo, MembershipRole.Chair)], await Gialai.MembersAsync());
        Assert.Equal([(truong, MembershipRole.Chair)], await Gialai.MembersAsync(Date(2021, 2, 28)));
        Assert.Equal([(vo, MembershipRole.Chair)], await Gialai.MembersAsync(Date(2020, 10, 31)));
    }

    /// <summary>What a relay records when the broker refused the oldest pending outbox row: it waits for its retry time.</summary>
    private async Task HoldBackOldestPendingEventAsync(TimeSpan retryAfter)
    {
        await using var connection = new NpgsqlConnection(Services.DecisionsDatabase);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = @retryAt, last_error = 'refused by the broker'
            WHERE sequence = (SELECT min(sequence) FROM outbox_messages WHERE published_at IS NULL)
            """,
            connection);
        command.Parameters.AddWithValue("retryAt", DateTime.UtcNow + retryAfter);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Bình Định's founding decision (5/QĐ-UBND), naming its new committee and, second, Gia Lai's as subjects.</summary>
    private static Decision BinhDinhFounding()
    {
        var decision = Draft("5/QĐ-UBND", Day(2020, 1, 1), DecisionKind.Establish, new Change
        {
            EstablishCommittee = new EstablishCommittee
            {
                CommitteeId = "bcd-binh-dinh",
                DisplayName = "Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh Bình Định",
                Level = CommitteeLevel.Province,
                Jurisdiction = BinhDinh,
                MandateTopics = { MandateTopic.EGovernment },
            },
        });
        decision.Issuer = new Issuer { Organisation = BinhDinh, DisplayName = "Ủy ban nhân dân tỉnh Bình Định" };
        decision.SubjectCommittees.Insert(0, "committees/bcd-binh-dinh");
        return decision;
    }

    private static Google.Type.Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    private static Uri UnreachableBroker() => new($"amqp://guest:guest@127.0.0.1:{TestInfrastructure.FreePort()}/");
}
