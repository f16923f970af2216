using Egov.Steering.Access;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.UseCases;

/// <summary>The committee rules that used to live in the gRPC handlers, called directly.</summary>
public class CommitteeUseCasesTests
{
    private const string DaNang = "province-2025-48";

    [Fact]
    public async Task A_created_committee_takes_its_jurisdiction_as_id_or_the_next_free_suffix()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            // A committee of another jurisdiction took the id Đà Nẵng's would derive.
            await database.Committees(db).CreateAsync(DaNang, Draft(NewGiaLai, CivilDate.Of(2025, 7, 1)), default);
        }

        await using (var db = database.NewContext())
        {
            var created = await database.Committees(db).CreateAsync(null, Draft(DaNang, CivilDate.Of(2025, 7, 1)), default);
            Assert.Equal(DaNang + "-2", created.AsOf.Committee.Id);
        }
    }

    [Fact]
    public async Task A_jurisdiction_has_one_open_committee_at_a_time()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            await database.Committees(db).CreateAsync(null, Draft(DaNang, CivilDate.Of(2025, 7, 1)), default);
        }

        await using (var db = database.NewContext())
        {
            var refused = await Assert.ThrowsAsync<PreconditionFailedException>(
                () => database.Committees(db).CreateAsync("bcd-da-nang-2", Draft(DaNang, CivilDate.Of(2025, 8, 1)), default));
            Assert.Equal("JURISDICTION_HAS_COMMITTEE", refused.Reason);
            Assert.Equal("committees/" + DaNang, Assert.Single(refused.Violations).Subject);
        }
    }

    [Fact]
    public async Task A_province_that_ceased_gets_no_new_committee_founded_after_it_ceased_by_request_or_by_decision()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            // The Gia Lai of 2008..2025-06-30 became part of the new Gia Lai on 2025-07-01.
            var refused = await Assert.ThrowsAsync<PreconditionFailedException>(
                () => database.Committees(db).CreateAsync(null, Draft(GiaLai, CivilDate.Of(2025, 7, 1)), default));
            Assert.Equal("JURISDICTION_CEASED", refused.Reason);
            var violation = Assert.Single(refused.Violations);
            Assert.Equal((GiaLai, "create the committee of " + NewGiaLai + " instead"), (violation.Subject, violation.Description));
        }

        await using (var db = database.NewContext())
        {
            var store = new RegisterStore(db, new MembershipClock(TimeProvider.System));
            var outcome = await store.ApplyAsync(Decision("d-late", D(2025, 8, 1), GiaLai, EstablishGiaLai()));
            Assert.Equal(DecisionResult.Rejected, outcome.Result);
            Assert.Equal(("changes[0].establish_committee.jurisdiction", "JURISDICTION_CEASED"), (outcome.Problems[0].Field, outcome.Problems[0].Reason));
            Assert.EndsWith("create the committee of " + NewGiaLai + " instead", outcome.Problems[0].Description, StringComparison.Ordinal);
        }

        // Before it ceased (a date known only to its year may be before), it could have had one: history is recorded.
        await database.ApplyAsync(Decision("d-2025", CivilDate.OfYear(2025), GiaLai, EstablishGiaLai()));
        await using (var db = database.NewContext())
        {
            var created = await database.Committees(db).CreateAsync(null, Draft(BinhDinh, CivilDate.Of(2025, 6, 30)), default);
            Assert.Equal(BinhDinh, created.AsOf.Committee.Jurisdiction);
        }
    }

    [Fact]
    public async Task A_committee_is_created_only_by_its_jurisdiction_or_an_admin()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await using var db = database.NewContext();
        var giaLai = new Caller("clerk", NewGiaLai, [SteeringScopes.Write]);

        await Assert.ThrowsAsync<PermissionDeniedException>(
            () => database.Committees(db, giaLai).CreateAsync(null, Draft(DaNang, CivilDate.Of(2025, 7, 1)), default));
    }

    [Fact]
    public async Task The_lineage_walks_merges_backwards_and_forwards_from_any_committee_in_it()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await database.ApplyAsync(Decision("d-gia-lai", D(2019, 6, 20), GiaLai, EstablishGiaLai()));
        await database.ApplyAsync(Decision("d-binh-dinh", D(2020, 1, 1), BinhDinh, new EstablishCommittee(
            "changes[0].establish_committee", null, "bcd-binh-dinh", "Ban chỉ đạo Chính quyền điện tử tỉnh Bình Định",
            CommitteeLevel.Province, BinhDinh, null, [MandateTopic.EGovernment], null)));
        await database.ApplyAsync(new DecisionToApply("d-merge", "1/QĐ-UBND", D(2025, 7, 1), [DecisionKind.Establish, DecisionKind.Merge], [], Organisations.National,
        [
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai-2025", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai",
                CommitteeLevel.Province, NewGiaLai, null, [MandateTopic.DigitalTransformation], null),
            new MergeCommittees("changes[1].merge_committees", null, ["bcd-gia-lai", "bcd-binh-dinh"], "bcd-gia-lai-2025"),
        ]));

        await using var db = database.NewContext();
        // From one predecessor: forwards to the successor, then backwards to the other predecessor.
        var lineage = await database.Committees(db).LineageAsync("bcd-binh-dinh", default);

        Assert.Equal(
            [
                new LineageLink("bcd-binh-dinh", "bcd-gia-lai-2025", D(2025, 7, 1), "d-merge"),
                new LineageLink("bcd-gia-lai", "bcd-gia-lai-2025", D(2025, 7, 1), "d-merge"),
            ],
            lineage);
        Assert.Equal(lineage, await database.Committees(db).LineageAsync("bcd-gia-lai-2025", default));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => database.Committees(db).LineageAsync("bcd-none", default));
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_changes_nothing()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await database.ApplyAsync(Decision("d-gia-lai", D(2019, 6, 20), GiaLai, EstablishGiaLai()));
        long read;
        await using (var db = database.NewContext())
        {
            read = (await database.Committees(db).GetAsync("bcd-gia-lai", On(2020, 1, 1), default)).AsOf.Committee.Version;
            var updated = await database.Committees(db).UpdateAsync("bcd-gia-lai", Clerical(EntityTag.Of(read), "first"), default);
            Assert.Equal(read + 1, updated.AsOf.Committee.Version);
        }

        await using (var db = database.NewContext())
        {
            await Assert.ThrowsAsync<StaleEtagException>(
                () => database.Committees(db).UpdateAsync("bcd-gia-lai", Clerical(EntityTag.Of(read), "second"), default));
        }

        await using (var db = database.NewContext())
        {
            Assert.Equal("first", (await database.Committees(db).GetAsync("bcd-gia-lai", On(2020, 1, 1), default)).AsOf.Committee.Description);
        }
    }

    private static Update<CommitteeClericalFields> Clerical(string etag, string description) =>
        new(etag, new HashSet<string>(["description"]), new(description, new CommitteeContact(), []));

    private static NewCommittee Draft(string jurisdiction, CivilDate founding) => new(
        "Ban chỉ đạo chuyển đổi số", CommitteeLevel.Province, jurisdiction, null, [MandateTopic.DigitalTransformation], null, founding, null, [],
        new CommitteeContact());
}
