using Egov.Steering.Membership.V1;
using static Egov.Steering.Membership.Tests.Grpc.CommitteeApiTests;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>The API in the embedded mode (SQLite): the same as-of answers, diacritic-free search and Vietnamese order.</summary>
public class EmbeddedModeApiTests(EmbeddedMembershipApiHost host) : IClassFixture<EmbeddedMembershipApiHost>
{
    private readonly MembershipService.MembershipServiceClient reader = host.Client(DaNang2025);

    [Fact]
    public async Task Reads_answer_as_of_the_date_and_search_without_diacritics()
    {
        var merged = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai", AsOf = Day(2025, 7, 1) });
        var found = await reader.ListCommitteesAsync(new ListCommitteesRequest { Query = "da nang" });
        var chair = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2020, 11, 1) });

        Assert.Equal((CommitteeState.Merged, "committees/bcd-gia-lai-2025"), (merged.State, merged.Successor));
        Assert.Equal(["committees/bcd-da-nang"], found.Committees.Select(c => c.Name));
        Assert.Equal("Trương Hải Long", chair.Memberships[0].PersonDisplayName);
    }

    [Fact]
    public async Task Writes_are_idempotent_and_people_page_in_vietnamese_order()
    {
        var writer = host.Writer(GiaLai2025);
        foreach (var name in new[] { "Đỗ Zqw", "Dương Zqw", "Ân Zqw", "An Zqw" })
        {
            var request = new CreatePersonRequest { Person = new Person { DisplayName = name }, RequestId = Guid.NewGuid().ToString() };
            Assert.Equal(await writer.CreatePersonAsync(request), await writer.CreatePersonAsync(request));
        }

        var first = await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "zqw", PageSize = 3 });
        var rest = await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "zqw", PageSize = 3, PageToken = first.NextPageToken });

        Assert.Equal(["An Zqw", "Ân Zqw", "Dương Zqw"], first.People.Select(p => p.DisplayName));
        Assert.Equal(["Đỗ Zqw"], rest.People.Select(p => p.DisplayName));
    }
}
