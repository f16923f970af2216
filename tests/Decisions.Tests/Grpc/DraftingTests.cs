using System.Text;
using Egov.Steering.Access;
using Egov.Steering.Decisions.Grpc;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Types.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Egov.Steering.Decisions.Tests.Grpc;

/// <summary>CreateDecision, GetDecision, UpdateDecision and DeleteDecision through the gRPC pipeline on PostgreSQL.</summary>
public sealed class DraftingTests : IAsyncLifetime
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
    public async Task A_draft_is_stored_as_written_in_NFC_and_owned_by_the_callers_organisation()
    {
        var draft = Drafts.GiaLaiConsolidation();
        draft.Title = draft.Title.Normalize(NormalizationForm.FormD);

        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft, DecisionId = "qd-337-ubnd-2025" });
        var read = await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = "decisions/qd-337-ubnd-2025" });

        Assert.Equal(created, read);
        Assert.Equal("decisions/qd-337-ubnd-2025", read.Name);
        Assert.Equal(DecisionState.Draft, read.State);
        Assert.Equal(Drafts.GiaLai, read.OwnerOrganisation);
        Assert.Equal("337/QĐ-UBND", read.Number);
        Assert.Equal(draft.Title.Normalize(NormalizationForm.FormC), read.Title);
        Assert.Equal(draft.Changes, read.Changes);
        Assert.Equal(draft.LegalBasis, read.LegalBasis);
        Assert.Equal(draft.Document, read.Document);
        Assert.Equal("\"1\"", read.Etag); // the common etag scheme: the version, quoted
    }

    [Fact]
    public async Task A_malformed_draft_is_refused_with_every_field_violation()
    {
        var draft = Drafts.GiaLaiConsolidation();
        draft.Issuer.Organisation = "gia-lai";
        draft.SubjectCommittees[0] = "committee/gia lai";
        draft.Document.Sha256 = "ABC";
        draft.Kinds.Add(DecisionKind.Revoke);
        draft.EffectiveDate.Day = 31;
        draft.EffectiveDate.Month = 6;
        draft.Title = " ";
        draft.Changes.Add(new Types.V1.Change());

        var error = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft, DecisionId = "7-bad" }).ResponseAsync);

        Assert.Equal(
            [
                "decision.issuer.organisation", "decision.effective_date", "decision.kinds[1]", "decision.subject_committees[0]",
                "decision.title", "decision.document.sha256", "decision.changes[2]", "decision_id",
            ],
            error.FieldViolations());
    }

    [Fact]
    public async Task A_source_is_cited_as_published_or_by_title_alone_but_never_by_nothing()
    {
        var plainHttp = Drafts.GiaLaiConsolidation();
        plainHttp.Source = new SourceCitation { Uri = "http://news.chinhphu.vn/Home/National-Committee-on-eGovernment-set-up/20188/34504.vgp" };
        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = plainHttp, DecisionId = "qd-http-source" });
        Assert.Equal(plainHttp.Source.Uri, created.Source.Uri);

        var byTitle = Drafts.GiaLaiConsolidation();
        byTitle.Number = "338/QĐ-UBND";
        byTitle.Source = new SourceCitation { Title = "Bản tin năm 2020 (tác giả M.T), bản lưu trong kho mã" };
        await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = byTitle, DecisionId = "qd-titled-source" });

        var nothing = Drafts.GiaLaiConsolidation();
        nothing.Number = "339/QĐ-UBND";
        nothing.Source = new SourceCitation { Publisher = "Báo Gia Lai" };
        var error = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = nothing, DecisionId = "qd-no-source" }).ResponseAsync);
        Assert.Equal(["decision.source.title"], error.FieldViolations());
    }

    [Fact]
    public async Task Every_source_of_a_decision_is_cited_each_as_the_first_is_and_kept_through_an_edit()
    {
        var draft = Drafts.GiaLaiConsolidation();
        draft.Source = new SourceCitation { Uri = "http://news.gov.vn/Home/Decision-on-establishment-of-National-Committee-on-eGovernment-amended/20199/37535.vgp" };
        draft.AdditionalSources.Add(new SourceCitation { Uri = "http://baonamdinh.vn/channel/5083/201909/sua-quyet-dinh-thanh-lap-uy-ban-quoc-gia-ve-chinh-phu-dien-tu-2533112/" });
        draft.AdditionalSources.Add(new SourceCitation { Title = "Bản tin năm 2020 (tác giả M.T), bản lưu trong kho mã", PublishedDate = Drafts.Day(2020, 6, 1) });

        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });
        var edited = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = created.Name, Etag = created.Etag, Title = "Về việc sửa đổi" },
            UpdateMask = new FieldMask { Paths = { "title" } },
        });

        Assert.Equal(draft.AdditionalSources, created.AdditionalSources);
        Assert.Equal(draft.AdditionalSources, (await giaLai.GetDecisionAsync(new GetDecisionRequest { Name = created.Name })).AdditionalSources);
        Assert.Equal(draft.AdditionalSources, edited.AdditionalSources);

        var bad = Drafts.GiaLaiConsolidation();
        bad.Number = "343/QĐ-UBND";
        bad.AdditionalSources.Add(new SourceCitation { Uri = "https://baogialai.com.vn/a" });
        bad.AdditionalSources.Add(new SourceCitation { Uri = "ftp://example.org/b" });
        bad.AdditionalSources.Add(Enumerable.Range(0, 9).Select(i => new SourceCitation { Uri = $"https://example.org/{i}" }));
        var error = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = bad }).ResponseAsync);
        Assert.Equal(["decision.additional_sources", "decision.additional_sources[1].uri"], error.FieldViolations().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_draft_that_would_not_fit_membership_s_dry_run_is_refused_when_written_not_when_issued()
    {
        var tooLarge = Drafts.WithLargeChanges("7/QĐ-UBND", 240); // ~980 KB: a request the service takes, a decision it must not
        Assert.InRange(new CreateDecisionRequest { Decision = tooLarge }.CalculateSize(), DecisionInput.MaxDecisionBytes + 1, RequestLimits.MaxMessageBytes);
        var refused = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = tooLarge }).ResponseAsync);
        Assert.Equal(["decision"], refused.FieldViolations());

        // One that fits, grown past the limit by a small update of its subject committees.
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.WithLargeChanges("8/QĐ-UBND", 185) });
        var edit = new Decision { Name = draft.Name, Etag = draft.Etag, SubjectCommittees = { Drafts.GiaLaiCommittee } };
        edit.SubjectCommittees.Add(Enumerable.Range(0, 900).Select(i => $"committees/uy-ban-so-{i:D4}-voi-mot-ten-dai-de-vuot-gioi-han"));
        var grown = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.UpdateDecisionAsync(
            new UpdateDecisionRequest { Decision = edit, UpdateMask = new FieldMask { Paths = { "subject_committees" } } }).ResponseAsync);
        Assert.Equal(["decision"], grown.FieldViolations());

        await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = draft.Name });
        Assert.InRange(membership.Previews.Last().CalculateSize(), 1, RequestLimits.MaxMessageBytes);
    }

    [Fact]
    public async Task A_taken_id_is_already_exists_and_an_unknown_one_not_found()
    {
        await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation(), DecisionId = "qd-1" });

        await Errors.CallFailsAsync(StatusCode.AlreadyExists, () => giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation(), DecisionId = "qd-1" }).ResponseAsync);
        await Errors.CallFailsAsync(StatusCode.NotFound, () => giaLai.GetDecisionAsync(new GetDecisionRequest { Name = "decisions/none" }).ResponseAsync);
        var badName = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.GetDecisionAsync(new GetDecisionRequest { Name = "qd-1" }).ResponseAsync);
        Assert.Equal(["name"], badName.FieldViolations());
    }

    [Fact]
    public async Task Another_organisation_reads_a_draft_but_only_the_owner_or_an_admin_writes_it()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var ministry = host.Client("ministry-btttt");

        Assert.Equal(draft, await ministry.GetDecisionAsync(new GetDecisionRequest { Name = draft.Name }));
        var denied = await Errors.CallFailsAsync(StatusCode.PermissionDenied, () => ministry.DeleteDecisionAsync(new DeleteDecisionRequest { Name = draft.Name }).ResponseAsync);
        Assert.Equal("OTHER_ORGANISATION", denied.Reason());

        var admin = host.Client("national", SteeringScopes.Read, SteeringScopes.Write, SteeringScopes.Admin);
        var renamed = await admin.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = draft.Name, Title = "Về việc kiện toàn Ban Chỉ đạo" },
            UpdateMask = new FieldMask { Paths = { "title" } },
        });
        Assert.Equal(Drafts.GiaLai, renamed.OwnerOrganisation);

        var readOnly = host.Client(Drafts.GiaLai, SteeringScopes.Read);
        var readOnlyDenied = await Errors.CallFailsAsync(StatusCode.PermissionDenied, () => readOnly.DeleteDecisionAsync(new DeleteDecisionRequest { Name = draft.Name }).ResponseAsync);
        Assert.Equal("WRITE_SCOPE_REQUIRED", readOnlyDenied.Reason());
    }

    [Fact]
    public async Task Update_changes_only_the_masked_fields_of_the_version_it_was_given()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var edit = new Decision { Name = draft.Name, Etag = draft.Etag, Title = "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh Gia Lai", Number = "ignored" };

        var updated = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest { Decision = edit, UpdateMask = new FieldMask { Paths = { "title" } } });

        Assert.Equal(edit.Title, updated.Title);
        Assert.Equal(draft.Number, updated.Number);
        Assert.Equal(draft.Changes, updated.Changes);
        Assert.NotEqual(draft.Etag, updated.Etag);

        // A masked field left unset in the request is cleared: the signer is not known after all.
        var cleared = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = draft.Name, Etag = updated.Etag },
            UpdateMask = new FieldMask { Paths = { "signer", "legal_basis" } },
        });
        Assert.Null(cleared.Signer);
        Assert.Empty(cleared.LegalBasis);
        Assert.Equal(edit.Title, cleared.Title);

        var stale = await Errors.CallFailsAsync(StatusCode.Aborted, () => giaLai.UpdateDecisionAsync(new UpdateDecisionRequest { Decision = edit, UpdateMask = new FieldMask { Paths = { "title" } } }).ResponseAsync);
        Assert.Equal("ETAG_MISMATCH", stale.Reason());
    }

    [Fact]
    public async Task A_draft_without_subject_committees_takes_the_committees_its_changes_act_on_in_the_order_named()
    {
        var draft = Drafts.GiaLaiConsolidation();
        draft.SubjectCommittees.Clear();
        draft.Changes.Insert(0, new Change { MergeCommittees = new MergeCommittees { Committees = { "committees/province-2019-64" }, Successor = Drafts.GiaLaiCommittee } });

        var created = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = draft });
        Assert.Equal(["committees/province-2019-64", Drafts.GiaLaiCommittee], created.SubjectCommittees);

        // Committees the author names are kept as written; cleared again, they are taken from the changes again.
        var named = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = created.Name, SubjectCommittees = { Drafts.GiaLaiCommittee } },
            UpdateMask = new FieldMask { Paths = { "subject_committees" } },
        });
        Assert.Equal([Drafts.GiaLaiCommittee], named.SubjectCommittees);
        var cleared = await giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = created.Name },
            UpdateMask = new FieldMask { Paths = { "subject_committees" } },
        });
        Assert.Equal(created.SubjectCommittees, cleared.SubjectCommittees);
    }

    [Fact]
    public async Task Update_refuses_output_fields_invalid_values_and_other_organisations()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });

        var outputOnly = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = draft.Name, State = DecisionState.Applied },
            UpdateMask = new FieldMask { Paths = { "state" } },
        }).ResponseAsync);
        Assert.Equal(["update_mask"], outputOnly.FieldViolations());

        var blankTitle = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = draft.Name },
            UpdateMask = new FieldMask { Paths = { "title" } },
        }).ResponseAsync);
        Assert.Equal(["decision.title"], blankTitle.FieldViolations());

        var other = await Errors.CallFailsAsync(StatusCode.PermissionDenied, () => host.Client("national", SteeringScopes.Read, SteeringScopes.Write).UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = draft.Name, Title = "x" },
            UpdateMask = new FieldMask { Paths = { "title" } },
        }).ResponseAsync);
        Assert.Equal("OTHER_ORGANISATION", other.Reason());
    }

    [Fact]
    public async Task A_draft_is_deleted_but_an_issued_decision_is_neither_edited_nor_deleted()
    {
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("1/QĐ-UBND") });
        await Errors.CallFailsAsync(StatusCode.Aborted, () => giaLai.DeleteDecisionAsync(new DeleteDecisionRequest { Name = draft.Name, Etag = "stale" }).ResponseAsync);
        await giaLai.DeleteDecisionAsync(new DeleteDecisionRequest { Name = draft.Name, Etag = draft.Etag });
        await Errors.CallFailsAsync(StatusCode.NotFound, () => giaLai.GetDecisionAsync(new GetDecisionRequest { Name = draft.Name }).ResponseAsync);

        var issued = await giaLai.IssueDecisionAsync(new IssueDecisionRequest
        {
            Name = (await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("2/QĐ-UBND") })).Name,
        });

        var edit = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.UpdateDecisionAsync(new UpdateDecisionRequest
        {
            Decision = new Decision { Name = issued.Name, Title = "Sửa" },
            UpdateMask = new FieldMask { Paths = { "title" } },
        }).ResponseAsync);
        Assert.Equal("DECISION_NOT_DRAFT", edit.Reason());
        var delete = await Errors.CallFailsAsync(StatusCode.FailedPrecondition, () => giaLai.DeleteDecisionAsync(new DeleteDecisionRequest { Name = issued.Name }).ResponseAsync);
        Assert.Equal("DECISION_NOT_DRAFT", delete.Reason());
    }
}
