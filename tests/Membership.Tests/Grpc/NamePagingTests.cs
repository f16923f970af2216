using Egov.Steering.Membership.V1;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>
/// People and posts are paged in SQL by (sort key, id): whatever the page size, a client walking the pages gets every
/// match exactly once, in vi-VN order (D before Đ, "thứ 2" before "thứ 10"), namesakes included.
/// </summary>
public abstract class NamePagingTests(MembershipApiHost host)
{
    private static readonly string[] PeopleInOrder =
        ["An Kpq", "Dương Kpq", "Dương Kpq", "Đặng Kpq", "Ủy viên thứ 2 Kpq", "Ủy viên thứ 10 Kpq"];

    // Namesake posts with ids that differ by a '-', which a linguistic collation would ignore: ordinal order puts
    // "kpq-b" ('-' is 0x2D) before "kpqa".
    private static readonly (string Id, string Name)[] PostsInOrder =
    [
        ("kpq-dan-van", "Trưởng ban Dân vận Kpq"),
        ("kpq-b", "Trưởng ban Đại diện Kpq"),
        ("kpqa", "Trưởng ban Đại diện Kpq"),
        ("kpq-pho-2", "Trưởng ban thứ 2 Kpq"),
        ("kpq-pho-10", "Trưởng ban thứ 10 Kpq"),
    ];

    private readonly MembershipService.MembershipServiceClient reader = host.Client(DaNang2025);

    [Fact]
    public async Task People_page_through_every_match_once_in_vietnamese_order()
    {
        var writer = host.Writer(GiaLai2025);
        foreach (var name in PeopleInOrder.Reverse())
        {
            await writer.CreatePersonAsync(new CreatePersonRequest { Person = new Person { DisplayName = name } });
        }

        foreach (var pageSize in new[] { 1, 2, 3 })
        {
            var people = await AllPagesAsync<Person>(async token =>
            {
                var page = await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "kpq", PageSize = pageSize, PageToken = token });
                Assert.InRange(page.People.Count, 1, pageSize);
                return (page.People, page.NextPageToken);
            });

            Assert.Equal(PeopleInOrder, people.Select(p => p.DisplayName));
            Assert.Equal(PeopleInOrder.Length, people.Select(p => p.Name).Distinct().Count());
        }
    }

    [Fact]
    public async Task Posts_page_through_every_match_once_in_vietnamese_order_then_by_id()
    {
        var writer = host.Writer(GiaLai2025);
        foreach (var (id, name) in PostsInOrder.Reverse())
        {
            var post = new Post { DisplayName = name, Kind = PostKind.Other, OrganisationDisplayName = "UBND tỉnh Gia Lai", Organisation = GiaLai2025 };
            await writer.CreatePostAsync(new CreatePostRequest { PostId = id, Post = post });
        }

        foreach (var pageSize in new[] { 1, 2, 3 })
        {
            var posts = await AllPagesAsync<Post>(async token =>
            {
                var request = new ListPostsRequest { Query = "kpq", Organisation = GiaLai2025, PageSize = pageSize, PageToken = token };
                var page = await reader.ListPostsAsync(request);
                Assert.InRange(page.Posts.Count, 1, pageSize);
                return (page.Posts, page.NextPageToken);
            });

            Assert.Equal(PostsInOrder.Select(p => $"posts/{p.Id}"), posts.Select(p => p.Name));
            Assert.Equal(PostsInOrder.Select(p => p.Name), posts.Select(p => p.DisplayName));
        }
    }

    [Fact]
    public async Task A_page_token_is_refused_with_another_query()
    {
        var people = await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "thanh", PageSize = 1 });
        var posts = await reader.ListPostsAsync(new ListPostsRequest { Organisation = GiaLai2020, PageSize = 1 });
        Assert.All([people.NextPageToken, posts.NextPageToken], token => Assert.NotEqual("", token));

        await Failure.InvalidAsync(
            reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "ngoc thanh", PageSize = 1, PageToken = people.NextPageToken }), "page_token");
        await Failure.InvalidAsync(
            reader.ListPostsAsync(new ListPostsRequest { Organisation = GiaLai2025, PageSize = 1, PageToken = posts.NextPageToken }), "page_token");
        await Failure.InvalidAsync(reader.ListPostsAsync(new ListPostsRequest { PageToken = people.NextPageToken }), "page_token");
    }

    /// <summary>Every item of every page, following next_page_token (the argument of <paramref name="list"/>) until it is empty.</summary>
    private static async Task<List<TItem>> AllPagesAsync<TItem>(Func<string, Task<(IEnumerable<TItem> Items, string NextPageToken)>> list)
    {
        var items = new List<TItem>();
        var token = "";
        do
        {
            (var page, token) = await list(token);
            items.AddRange(page);
        }
        while (token.Length > 0);

        return items;
    }
}

public sealed class NamePagingOnPostgreSqlTests(MembershipApiHost host) : NamePagingTests(host), IClassFixture<MembershipApiHost>;

public sealed class NamePagingOnSqliteTests(EmbeddedMembershipApiHost host) : NamePagingTests(host), IClassFixture<EmbeddedMembershipApiHost>;
