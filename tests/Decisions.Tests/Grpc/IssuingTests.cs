using Egov.Steering.Access;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Decisions.Tests.Grpc;

/// <summary>ValidateDecision, IssueDecision and RevokeDecision through the gRPC pipeline on PostgreSQL, with a fake Membership.</summary>
public sealed class IssuingTests : IAsyncLifetime
{
    private FakeMembership membership = null!;
    private DecisionsHost host = null!;
    private DecisionsService.DecisionsServiceClient giaLai = null!;

    public async Task InitializeAsync()
    {
        membership = await FakeMembership.StartAsync();
        host = await DecisionsHost.StartAsync(membership.Address);
        giaLai = host.Client(Drafts.GiaLai);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await membership.DisposeAsync();
    }

    [Fact]
    public async Task Validation_reports_its_own_problems_and_Memberships_all_at_once()
    {
        await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("337/QĐ-UBND"));
        var draft = Drafts.GiaLaiConsolidation("337/QD-UBND"); // the same number, typed without diacritics
        draft.Signer = null;
        draft.SignedDate = Drafts.Day(2025, 7, 20);
        membership.Problems = request => [new ValidationProblem { Field = "changes[0].appoint.entry.roles", Reason = "SECOND_CHAIR", Description = "already chaired" }];
        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });

        var problems = (await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = created.Name })).Problems;

        Assert.Equal(
            ["number:NUMBER_ALREADY_USED", "signer:MISSING_SIGNER", "effective_date:DATES_OUT_OF_ORDER", "changes[0].appoint.entry.roles:SECOND_CHAIR"],
            problems.Select(problem => $"{problem.Field}:{problem.Reason}"));
        var preview = membership.Previews.Last();
        Assert.Equal(created.Name, preview.Decision);
        Assert.Equal(draft.Changes, preview.Changes);
        Assert.Equal(Drafts.GiaLai, preview.OwnerOrganisation);
        Assert.StartsWith("Bearer ", membership.Authorizations.Last()); // Membership checks the same caller
    }

    [Fact]
    public async Task A_number_typed_with_a_letter_that_looks_like_D_with_stroke_is_the_number_issued_and_is_found_by_it()
    {
        await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("338/QĐ-UBND"));
        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("338/Q\u00D0-UBND") });

        var problems = (await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = created.Name })).Problems;
        var found = await giaLai.ListDecisionsAsync(new ListDecisionsRequest { Number = "338/QĐ" });

        Assert.Contains("number:NUMBER_ALREADY_USED", problems.Select(problem => $"{problem.Field}:{problem.Reason}"));
        Assert.Equal(2, found.Decisions.Count);
    }

    [Fact]
    public async Task The_release_step_refreshes_folds_stored_before_the_fold_changed_but_never_to_a_number_another_issued_decision_holds()
    {
        var issued = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("339/QĐ-UBND"));
        var other = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("341/QĐ-UBND"));
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("342/Q\u00D0-UBND") });
        await using (host.CreateScope(out var db))
        {
            // What the previous fold let in and stored: Ð kept as ð, so "339/QÐ-UBND" was issued beside "339/QĐ-UBND".
            await db.Decisions.Where(d => "decisions/" + d.Id == other.Name)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.Number, "339/Q\u00D0-UBND").SetProperty(d => d.NumberFolded, "339/q\u00F0-ubnd"));
            await db.Decisions.Where(d => "decisions/" + d.Id == draft.Name).ExecuteUpdateAsync(set => set.SetProperty(d => d.NumberFolded, "342/q\u00F0-ubnd"));
        }

        await host.App.Services.GetServices<IReleaseStep>().OfType<StoredFoldRefresh>().Single().RunAsync(CancellationToken.None);

        await using var scope = host.CreateScope(out var read);
        var folds = await read.Decisions.ToDictionaryAsync(d => "decisions/" + d.Id, d => d.NumberFolded);
        Assert.Equal(["339/qd-ubnd", "339/q\u00F0-ubnd", "342/qd-ubnd"], new[] { issued.Name, other.Name, draft.Name }.Select(name => folds[name]));
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Warning
            && entry.Message.Contains(other.Name["decisions/".Length..], StringComparison.Ordinal) && entry.Message.Contains("folds like another", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_subject_committee_is_a_problem_unless_the_decision_establishes_it()
    {
        var draft = Drafts.GiaLaiConsolidation();
        draft.SubjectCommittees.Insert(0, "committees/gia-lai-moi");
        var unknown = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });

        Assert.Equal(
            ["subject_committees[0]:UNKNOWN_COMMITTEE"],
            (await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = unknown.Name })).Problems.Select(p => $"{p.Field}:{p.Reason}"));

        draft.Kinds[0] = DecisionKind.Establish;
        draft.Changes.Insert(0, new Change
        {
            EstablishCommittee = new EstablishCommittee
            {
                CommitteeId = "gia-lai-moi", DisplayName = "Ban Chỉ đạo chuyển đổi số tỉnh Gia Lai", Level = CommitteeLevel.Province, Jurisdiction = Drafts.GiaLai,
            },
        });
        var establishing = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });
        Assert.Empty((await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = establishing.Name })).Problems);
    }

    [Fact]
    public async Task Membership_checks_every_subject_committee_and_an_unknown_first_one_is_reported_once()
    {
        var draft = Drafts.GiaLaiConsolidation();
        draft.SubjectCommittees.Insert(0, "committees/gia-lai-moi");
        draft.SubjectCommittees.Add("committees/national");
        // As Membership answers: the first is not registered, the national committee is not Gia Lai's to act on.
        membership.Problems = _ =>
        [
            new ValidationProblem { Field = "subject_committees[0]", Reason = "UNKNOWN_COMMITTEE", Description = "no such committee" },
            new ValidationProblem { Field = "subject_committees[2]", Reason = "NOT_OWNER", Description = "belongs to another organisation" },
        ];
        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });

        var problems = (await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = created.Name })).Problems;

        Assert.Equal(["subject_committees[0]:UNKNOWN_COMMITTEE", "subject_committees[2]:NOT_OWNER"], problems.Select(p => $"{p.Field}:{p.Reason}"));
        Assert.Equal(draft.SubjectCommittees, membership.Previews.Last().SubjectCommittees);
    }

    [Fact]
    public async Task A_change_to_a_committee_outside_the_subject_committees_is_a_problem_and_the_decision_is_not_issued()
    {
        const string other = "committees/province-2019-64";
        var draft = Drafts.GiaLaiConsolidation();
        draft.Changes.Add(new Change { RenameCommittee = new RenameCommittee { Committee = other, DisplayName = "Ban Chỉ đạo chuyển đổi số tỉnh Gia Lai" } });
        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });

        var problem = Assert.Single((await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = created.Name })).Problems);
        Assert.Equal(("changes[2].rename_committee.committee", "COMMITTEE_NOT_A_SUBJECT"), (problem.Field, problem.Reason));
        Assert.Contains($"add {other} to subject_committees", problem.Description);
        var error = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = created.Name }).ResponseAsync);
        Assert.Equal(["changes[2].rename_committee.committee:COMMITTEE_NOT_A_SUBJECT"], error.PreconditionViolations());

        // Named as a subject, the decision takes that committee's issue order too.
        var fixedDraft = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = created.Name, SubjectCommittees = { Drafts.GiaLaiCommittee, other } },
            UpdateMask = new FieldMask { Paths = { "subject_committees" } },
        });
        var issued = await giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = fixedDraft.Name, Etag = fixedDraft.Etag });
        await using var scope = host.CreateScope(out var db);
        Assert.Equal(
            new Dictionary<string, long> { [Drafts.GiaLaiCommittee] = 1, [other] = 1 },
            Assert.Single(await IssuedEventsAsync(db)).DecisionIssued.CommitteeSequences);
        Assert.Equal(DecisionState.Issued, issued.State);
    }

    [Fact]
    public async Task Issuing_freezes_the_decision_and_emits_DecisionIssued_through_the_outbox_once_even_when_retried()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var request = new IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag, RequestId = Guid.NewGuid().ToString() };

        var issued = await giaLai.IssueDecisionAsync(request);
        var retried = await giaLai.IssueDecisionAsync(request);

        Assert.Equal(issued, retried);
        Assert.Equal(DecisionState.Issued, issued.State);
        Assert.NotNull(issued.IssueTime);
        Assert.Equal(issued, await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = draft.Name }));

        await using var scope = host.CreateScope(out var db);
        var row = Assert.Single(await db.Set<OutboxMessage>().Where(m => m.Aggregate == DecisionEvents.IssuedOrderingKey).ToListAsync());
        var envelope = EventEnvelope.Parser.ParseFrom(row.Body);
        Assert.Equal(draft.Name, envelope.Aggregate);
        Assert.Equal("egov.steering.events.v1.DecisionIssued", envelope.Type);
        Assert.Equal("//decisions.steering.egov.gov.vn", envelope.Source);
        Assert.Equal(draft.Name, envelope.Subject);
        Assert.Equal(1, envelope.AggregateVersion);
        Assert.Equal(CommitteeLevel.Province, envelope.CommitteeLevel);
        Assert.Equal(Drafts.GiaLai, envelope.Jurisdiction);
        Assert.Equal(Drafts.GiaLaiCommittee, envelope.Committee);
        Assert.Equal(issued, envelope.DecisionIssued.Decision);
        Assert.Equal(new Dictionary<string, long> { [Drafts.GiaLaiCommittee] = 1 }, envelope.DecisionIssued.CommitteeSequences);
        Assert.Single(await db.Set<Egov.Steering.ServiceDefaults.Audit.AuditEntry>().Where(a => a.Resource == draft.Name && a.Method.EndsWith("/IssueDecision")).ToListAsync());

        // Without the request id it is a second attempt, refused: the decision is no longer a draft.
        var again = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name }).ResponseAsync);
        Assert.Equal("DECISION_NOT_DRAFT", again.Reason());
    }

    [Fact]
    public async Task A_decision_with_problems_is_not_issued_and_the_error_lists_them()
    {
        membership.Problems = _ => [new ValidationProblem { Field = "changes[1].appoint.entry.holder.post", Reason = "UNKNOWN_POST", Description = "no such post" }];
        var draft = Drafts.GiaLaiConsolidation();
        draft.Kinds.Clear();
        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });

        var error = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = created.Name }).ResponseAsync);

        Assert.Equal("DECISION_HAS_PROBLEMS", error.Reason());
        Assert.Equal(["kinds:MISSING_KIND", "changes[1].appoint.entry.holder.post:UNKNOWN_POST"], error.PreconditionViolations());
        Assert.Equal(DecisionState.Draft, (await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = created.Name })).State);
    }

    [Fact]
    public async Task Issuing_needs_the_owner_and_the_current_etag()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });

        var denied = await Errors.CallFailsAsync(StatusCode.PermissionDenied, () => host.Client("ministry-btttt").IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name }).ResponseAsync);
        Assert.Equal("OTHER_ORGANISATION", denied.Reason());
        await Errors.CallFailsAsync(StatusCode.Aborted, () => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name, Etag = "0" }).ResponseAsync);
        await Errors.CallFailsAsync(StatusCode.NotFound, () => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = "decisions/none" }).ResponseAsync);
        Assert.Equal(DecisionState.Draft, (await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = draft.Name })).State);
    }

    [Fact]
    public async Task When_Membership_is_down_validation_and_issuing_are_unavailable_never_a_silent_pass()
    {
        await using var isolated = await DecisionsHost.StartAsync(DecisionsHost.UnreachableAddress());
        var client = isolated.Client(Drafts.GiaLai);
        var draft = await client.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });

        var validate = await Errors.CallFailsAsync(StatusCode.Unavailable, () => client.ValidateDecisionAsync(new ValidateDecisionRequest { Name = draft.Name }).ResponseAsync);
        var issue = await Errors.CallFailsAsync(StatusCode.Unavailable, () => client.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name, RequestId = Guid.NewGuid().ToString() }).ResponseAsync);

        Assert.Equal("MEMBERSHIP_UNAVAILABLE", validate.Reason());
        Assert.Equal("MEMBERSHIP_UNAVAILABLE", issue.Reason());
        Assert.Equal(DecisionState.Draft, (await client.GetDecisionAsync(new GetDecisionRequest { Name = draft.Name })).State);
        await using var scope = isolated.CreateScope(out var db);
        Assert.Empty(await db.Set<OutboxMessage>().ToListAsync());
    }

    [Fact]
    public async Task A_revocation_is_its_own_decision_issued_with_kind_revoke_and_the_change_ending_the_revoked_effects()
    {
        var revoked = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation());
        var request = new RevokeDecisionRequest
        {
            Name = revoked.Name, Etag = revoked.Etag, RevokingDecision = Drafts.Revocation(), RevokingDecisionId = "qd-999-ubnd-2025", RequestId = Guid.NewGuid().ToString(),
        };

        var revoking = await giaLai.RevokeDecisionAsync(request);

        Assert.Equal(revoking, await giaLai.RevokeDecisionAsync(request));
        Assert.Equal("decisions/qd-999-ubnd-2025", revoking.Name);
        Assert.Equal(DecisionState.Issued, revoking.State);
        Assert.Equal([DecisionKind.Revoke], revoking.Kinds);
        Assert.Equal(revoked.Name, revoking.Revokes);
        Assert.Equal("999/QĐ-UBND", revoking.Number);
        Assert.Equal(revoked.Name, Assert.Single(revoking.Changes).RevokeDecisionEffects.Decision);
        Assert.Equal(revoked.SubjectCommittees, revoking.SubjectCommittees);

        // Until Membership applies the revocation, the revoked decision stands; a second revocation is refused.
        Assert.Equal(DecisionState.Issued, (await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = revoked.Name })).State);
        var twice = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.RevokeDecisionAsync(new RevokeDecisionRequest { Name = revoked.Name, RevokingDecision = Drafts.Revocation("1000/QĐ-UBND") }).ResponseAsync);
        Assert.Equal("DECISION_ALREADY_REVOKED", twice.Reason());

        await using var scope = host.CreateScope(out var db);
        // Issued on the same path: in the committee's issue order, after the decision it revokes.
        var issuedEvents = await IssuedEventsAsync(db);
        Assert.Equal([revoked.Name, revoking.Name], issuedEvents.Select(e => e.Aggregate));
        Assert.Equal(revoking, issuedEvents[1].DecisionIssued.Decision);
        Assert.Equal(2, issuedEvents[1].DecisionIssued.CommitteeSequences[Drafts.GiaLaiCommittee]);
    }

    [Fact]
    public async Task A_revocation_takes_the_revoked_decisions_committees_even_when_its_draft_names_others()
    {
        const string other = "committees/province-2019-64";
        var revoked = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation());
        var draft = Drafts.Revocation();
        draft.SubjectCommittees.Add(other);

        var revoking = await giaLai.RevokeDecisionAsync(new RevokeDecisionRequest { Name = revoked.Name, RevokingDecision = draft });

        Assert.Equal([Drafts.GiaLaiCommittee, other], revoking.SubjectCommittees);
        await using var scope = host.CreateScope(out var db);
        var issuedEvents = await IssuedEventsAsync(db);
        Assert.Equal([revoked.Name, revoking.Name], issuedEvents.Select(e => e.Aggregate));
        Assert.Equal(new Dictionary<string, long> { [Drafts.GiaLaiCommittee] = 2, [other] = 1 }, issuedEvents[1].DecisionIssued.CommitteeSequences);
    }

    [Fact]
    public async Task While_Membership_is_slow_no_transaction_is_held_and_an_edit_made_meanwhile_aborts_issuing_the_unvalidated_version()
    {
        var slow = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var other = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("338/QĐ-UBND") });
        var gate = membership.HoldPreviewOf(slow.Name);
        var request = new IssueDecisionRequest { Name = slow.Name, RequestId = Guid.NewGuid().ToString() };
        var issuing = giaLai.IssueDecisionAsync(request).ResponseAsync;
        await gate.Previewing;

        // Meanwhile: no connection waits inside a transaction, another decision of the committee is issued, the draft is edited.
        await using (var scope = host.CreateScope(out var db))
        {
            Assert.Equal(0, await db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM pg_stat_activity
                WHERE datname = current_database() AND state LIKE 'idle in transaction%'
                """).SingleAsync());
        }

        var otherIssued = await giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = other.Name });
        var edited = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = slow.Name, Etag = slow.Etag, Title = "Quyết định kiện toàn Ban Chỉ đạo (sửa đổi)" },
            UpdateMask = new FieldMask { Paths = { "title" } },
        });
        gate.Open();

        var aborted = await Errors.CallFailsAsync(StatusCode.Aborted, () => issuing);
        Assert.Equal("ETAG_MISMATCH", aborted.Reason());
        Assert.Equal(DecisionState.Issued, otherIssued.State);
        Assert.Equal(edited, await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = slow.Name }));
        Assert.Equal(DecisionState.Draft, edited.State);

        // The client retries: the edited version is validated and issued, and a further retry gets that first answer.
        var issued = await giaLai.IssueDecisionAsync(request);
        Assert.Equal(issued, await giaLai.IssueDecisionAsync(request));
        Assert.Equal((DecisionState.Issued, edited.Title), (issued.State, issued.Title));
        await using var after = host.CreateScope(out var afterDb);
        var events = await IssuedEventsAsync(afterDb);
        Assert.Equal([(other.Name, 1L), (slow.Name, 2L)], events.Select(e => (e.Aggregate, e.DecisionIssued.CommitteeSequences[Drafts.GiaLaiCommittee])));
    }

    [Fact]
    public async Task The_dry_run_answers_the_routing_committee_too()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("340/QĐ-UBND") });

        var issued = await giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name });

        Assert.Equal(DecisionState.Issued, issued.State);
        Assert.Single(membership.Previews, preview => preview.Decision == draft.Name);
        Assert.Empty(membership.CommitteeLookups);
        await using var scope = host.CreateScope(out var db);
        var routed = (await IssuedEventsAsync(db)).Single(e => e.Aggregate == draft.Name);
        Assert.Equal((Drafts.GiaLaiCommittee, CommitteeLevel.Province, "province-2025-52"), (routed.Committee, routed.CommitteeLevel, routed.Jurisdiction));
    }

    [Fact]
    public async Task A_membership_whose_dry_run_does_not_name_the_committee_is_asked_for_it()
    {
        membership.AnswersSubjectCommittees = false;
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("341/QĐ-UBND") });

        var issued = await giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name });

        Assert.Equal(DecisionState.Issued, issued.State);
        Assert.Equal([Drafts.GiaLaiCommittee], membership.CommitteeLookups);
    }

    [Fact]
    public async Task Of_two_decisions_with_one_number_validated_at_the_same_time_only_one_is_issued()
    {
        var first = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("339/QĐ-UBND") });
        var second = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("339/QĐ-UBND") });
        // Both validations pass before either is issued: only the database can tell the second one the number is taken.
        using var bothPreviewing = new CountdownEvent(2);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        membership.Answering = _ =>
        {
            bothPreviewing.Signal();
            return answer.Task;
        };
        var issuing = new[] { first, second }
            .Select(draft => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name }).ResponseAsync)
            .ToList();
        Assert.True(bothPreviewing.Wait(TimeSpan.FromMinutes(1)), "both issues reached Membership's preview");
        answer.SetResult();

        var outcomes = await Task.WhenAll(issuing.Select(async call =>
        {
            try
            {
                return (Issued: await call, Error: (RpcException?)null);
            }
            catch (RpcException error)
            {
                return (Issued: (Decision?)null, Error: error);
            }
        }));

        Assert.Single(outcomes, outcome => outcome.Issued?.State == DecisionState.Issued);
        var refused = Assert.Single(outcomes, outcome => outcome.Error is not null).Error!;
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(["number:NUMBER_ALREADY_USED"], refused.PreconditionViolations());
    }

    [Fact]
    public async Task A_revocation_whose_revoked_decision_changes_while_Membership_is_slow_is_aborted_and_issued_on_retry()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var revoked = await giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name });
        var previewing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        membership.Answering = _ =>
        {
            previewing.TrySetResult();
            return answer.Task;
        };
        var request = new RevokeDecisionRequest { Name = revoked.Name, RevokingDecision = Drafts.Revocation(), RequestId = Guid.NewGuid().ToString() };
        var revoking = giaLai.RevokeDecisionAsync(request).ResponseAsync;
        await previewing.Task;

        // Membership's outcome is recorded meanwhile (as its consumer records it): the revocation was validated against the ISSUED version.
        await using (var scope = host.CreateScope(out var db))
        {
            var revokedId = revoked.Name["decisions/".Length..];
            var stored = await db.Decisions.SingleAsync(d => d.Id == revokedId);
            Assert.True(stored.RecordApplied(DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        answer.SetResult();

        var aborted = await Errors.CallFailsAsync(StatusCode.Aborted, () => revoking);
        Assert.Equal("ETAG_MISMATCH", aborted.Reason());
        await using (var scope = host.CreateScope(out var db))
        {
            Assert.Equal([revoked.Name], (await IssuedEventsAsync(db)).Select(e => e.Aggregate));
        }

        var revocation = await giaLai.RevokeDecisionAsync(request);
        Assert.Equal(revocation, await giaLai.RevokeDecisionAsync(request));
        Assert.Equal((DecisionState.Issued, revoked.Name), (revocation.State, revocation.Revokes));
    }

    [Fact]
    public async Task Decisions_issued_at_once_get_each_subject_committee_numbers_without_duplicate_or_gap_in_outbox_order()
    {
        const string merged = "committees/province-2019-64";
        var drafts = new List<Decision>();
        for (var index = 0; index < 8; index++)
        {
            var decision = Drafts.GiaLaiConsolidation($"{400 + index}/QĐ-UBND");
            if (index % 2 == 0)
            {
                decision.SubjectCommittees.Add(merged); // a decision on two committees takes both numbers at once
            }

            drafts.Add(await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = decision }));
        }

        // Each call has its own connection and transaction, as on several replicas.
        await Task.WhenAll(drafts.Select(draft => giaLai.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name }).ResponseAsync));

        await using var scope = host.CreateScope(out var db);
        var events = await IssuedEventsAsync(db);
        Assert.Equal(drafts.Select(d => d.Name).Order(), events.Select(e => e.Aggregate).Order());
        Assert.Equal(Enumerable.Range(1, 8).Select(n => (long)n), events.Select(e => e.DecisionIssued.CommitteeSequences[Drafts.GiaLaiCommittee]));
        Assert.Equal(Enumerable.Range(1, 4).Select(n => (long)n), events.Where(e => e.DecisionIssued.CommitteeSequences.ContainsKey(merged)).Select(e => e.DecisionIssued.CommitteeSequences[merged]));
        Assert.Equal(8, await db.CommitteeIssueSequences.Where(c => c.Committee == Drafts.GiaLaiCommittee).Select(c => c.LastSequence).SingleAsync());
    }

    [Fact]
    public async Task Only_an_issued_or_applied_decision_of_ones_own_can_be_revoked_by_a_well_formed_revocation()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var notIssued = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.RevokeDecisionAsync(new RevokeDecisionRequest { Name = draft.Name, RevokingDecision = Drafts.Revocation() }).ResponseAsync);
        Assert.Equal("DECISION_NOT_REVOCABLE", notIssued.Reason());

        var issued = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("338/QĐ-UBND"));
        await Errors.CallFailsAsync(StatusCode.PermissionDenied, () => host.Client("ministry-btttt", SteeringScopes.Read, SteeringScopes.Write).RevokeDecisionAsync(new RevokeDecisionRequest { Name = issued.Name, RevokingDecision = Drafts.Revocation() }).ResponseAsync);

        var malformed = Drafts.Revocation();
        malformed.Title = string.Empty;
        var invalid = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.RevokeDecisionAsync(new RevokeDecisionRequest { Name = issued.Name, RevokingDecision = malformed }).ResponseAsync);
        Assert.Equal(["revoking_decision.title"], invalid.FieldViolations());
    }

    /// <summary>The DecisionIssued events in the outbox, in the order the relay publishes them.</summary>
    private static async Task<List<EventEnvelope>> IssuedEventsAsync(Data.DecisionsDbContext db) =>
        (await db.Set<OutboxMessage>().Where(m => m.Aggregate == DecisionEvents.IssuedOrderingKey).OrderBy(m => m.Sequence).ToListAsync())
            .Select(row => EventEnvelope.Parser.ParseFrom(row.Body))
            .ToList();
}
