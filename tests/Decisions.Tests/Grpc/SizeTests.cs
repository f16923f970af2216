using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Types.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Egov.Steering.Decisions.Tests.Grpc;

/// <summary>
/// A decision is assembled from several requests, each bounded alone: what they build must still fit every message it
/// travels in — Membership's dry run (1 MiB), its event, a page a default client reads (4 MiB).
/// </summary>
public sealed class SizeTests : IAsyncLifetime
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
    public async Task A_draft_that_would_not_fit_membership_s_dry_run_is_refused_when_written_not_when_issued()
    {
        var tooLarge = Large("7/QĐ-UBND", 240); // ~980 KB: a request the service takes, a decision it must not
        Assert.InRange(new CreateDecisionRequest { Decision = tooLarge }.CalculateSize(), DecisionSize + 1, RequestLimits.MaxMessageBytes);
        var refused = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = tooLarge }).ResponseAsync);
        Assert.Equal(["decision"], refused.FieldViolations());

        // One that fits, grown past the limit by a small update of its subject committees.
        var draft = await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Large("8/QĐ-UBND", 185) });
        var edit = new Decision { Name = draft.Name, Etag = draft.Etag, SubjectCommittees = { Drafts.GiaLaiCommittee } };
        edit.SubjectCommittees.Add(Enumerable.Range(0, 900).Select(i => $"committees/uy-ban-so-{i:D4}-voi-mot-ten-dai-de-vuot-gioi-han"));
        var grown = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => giaLai.UpdateDecisionAsync(
            new UpdateDecisionRequest { Decision = edit, UpdateMask = new FieldMask { Paths = { "subject_committees" } } }).ResponseAsync);
        Assert.Equal(["decision"], grown.FieldViolations());

        await giaLai.ValidateDecisionAsync(new ValidateDecisionRequest { Name = draft.Name });
        Assert.InRange(membership.Previews.Last().CalculateSize(), 1, RequestLimits.MaxMessageBytes);
    }

    [Fact]
    public async Task A_page_of_large_decisions_stays_readable_by_a_default_client_and_the_next_pages_hold_the_rest()
    {
        for (var i = 0; i < 5; i++)
        {
            await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Large($"{i}/QĐ-UBND", 185), DecisionId = $"qd-large-{i}" });
        }

        var names = new List<string>();
        var request = new ListDecisionsRequest();
        do
        {
            var page = await giaLai.ListDecisionsAsync(request); // the default client: 4 MiB at most
            Assert.InRange(page.CalculateSize(), 1, PageBytes.MaxBytes + DecisionSize);
            names.AddRange(page.Decisions.Select(decision => decision.Name));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"decisions/qd-large-{i}").Order(), names.Order());
    }

    private const int DecisionSize = 768 * 1024;

    // Changes that establish working groups with purposes of 4,000 characters: ~4 KB each.
    private static Decision Large(string number, int changes)
    {
        var decision = Drafts.GiaLaiConsolidation(number);
        decision.Changes.Clear();
        decision.Changes.Add(Enumerable.Range(0, changes).Select(i => new Change
        {
            EstablishWorkingGroup = new EstablishWorkingGroup
            {
                Committee = Drafts.GiaLaiCommittee,
                WorkingGroupId = $"to-cong-tac-{i}",
                DisplayName = $"Tổ công tác {i}",
                Purpose = new string('a', 4000),
            },
        }));
        return decision;
    }
}
