using Egov.Steering.Membership.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using static Egov.Steering.Membership.Tests.Grpc.CommitteeApiTests;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>People (search, contact visibility) and posts (holders over time) through the real gRPC pipeline.</summary>
public class PeopleAndPostApiTests(MembershipApiHost host) : IClassFixture<MembershipApiHost>
{
    private readonly MembershipService.MembershipServiceClient reader = host.Client(DaNang2025);

    [Theory]
    [InlineData("nguyen xuan phuc")]
    [InlineData("NGUYỄN  Xuân")]
    [InlineData("phuc")]
    public async Task Search_ignores_case_and_diacritics(string query)
    {
        var found = await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = query });

        Assert.Equal(["Nguyễn Xuân Phúc"], found.People.Select(p => p.DisplayName));
    }

    [Fact]
    public async Task Search_pages_through_names_in_vietnamese_order()
    {
        var writer = host.Writer(GiaLai2025);
        foreach (var name in new[] { "Đỗ Zqy", "Dương Zqy", "Ân Zqy", "An Zqy", "Ăn Zqy" })
        {
            await writer.CreatePersonAsync(new CreatePersonRequest { Person = new Person { DisplayName = name } });
        }

        var pages = new List<IEnumerable<string>>();
        var request = new SearchPeopleRequest { Query = "zqy", PageSize = 2 };
        do
        {
            var page = await reader.SearchPeopleAsync(request);
            pages.Add(page.People.Select(p => p.DisplayName));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([["An Zqy", "Ăn Zqy"], ["Ân Zqy", "Dương Zqy"], ["Đỗ Zqy"]], pages);
        await Failure.InvalidAsync(reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "  " }), "query");
        await Failure.InvalidAsync(reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "zqy", PageSize = -1, PageToken = "not-a-token" }), "page_size");
    }

    [Fact]
    public async Task Names_as_long_as_the_api_accepts_are_stored_and_found()
    {
        var writer = host.Writer(GiaLai2025);
        var postName = "GIÁM ĐỐC SỞ " + new string('Ầ', 288);
        var person = new Person { DisplayName = "Nguyễn Thị Ngọc Hường" };
        person.OtherNames.Add(Enumerable.Range(1, 25).Select(i => $"Nguyễn Thị Ngọc Hường, bí danh {i} " + new string('x', 160)));

        var post = await writer.CreatePostAsync(new CreatePostRequest
        {
            Post = new Post { DisplayName = postName, Kind = PostKind.Other, OrganisationDisplayName = "Sở Xây dựng tỉnh Gia Lai", Organisation = GiaLai2025 },
        });
        var created = await writer.CreatePersonAsync(new CreatePersonRequest { Person = person });
        var found = await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "bi danh 25" });

        Assert.Equal(postName, post.DisplayName);
        Assert.Equal(25, created.OtherNames.Count);
        Assert.Contains(found.People, p => p.Name == created.Name);
    }

    [Fact]
    public async Task Contact_details_show_only_to_admins_and_the_organisations_the_person_serves()
    {
        var request = new GetPersonRequest { Name = "people/tran-thi-b" };

        var ownOrganisation = await host.Client(GiaLai2020).GetPersonAsync(request);
        var otherOrganisation = await host.Client(DaNang2025).GetPersonAsync(request);
        var admin = await host.AdminClient().GetPersonAsync(request);
        var searched = await host.Client(DaNang2025).SearchPeopleAsync(new SearchPeopleRequest { Query = "tran thi b" });

        Assert.Equal("b@gialai.gov.vn", ownOrganisation.Contact.Email);
        Assert.Null(otherOrganisation.Contact);
        Assert.Equal("0269 3821 000", admin.Contact.Phone);
        Assert.Null(Assert.Single(searched.People).Contact);
    }

    [Fact]
    public async Task A_post_holder_serves_the_committees_the_post_sits_on_during_the_term()
    {
        var person = await host.AdminClient().GetPersonAsync(new GetPersonRequest { Name = "people/vo-ngoc-thanh" });
        await host.AdminClient().UpdatePersonAsync(new UpdatePersonRequest
        {
            Person = person.Also(p => p.Contact = new PersonContact { Email = "thanh@gialai.gov.vn" }),
            UpdateMask = new FieldMask { Paths = { "contact" } },
        });

        var served = await host.Client(GiaLai2020).GetPersonAsync(new GetPersonRequest { Name = "people/vo-ngoc-thanh" });
        var notServed = await host.Client("province-2020-52").GetPersonAsync(new GetPersonRequest { Name = "people/vo-ngoc-thanh" });

        Assert.Equal("thanh@gialai.gov.vn", served.Contact.Email);
        Assert.Null(notServed.Contact);
    }

    [Fact]
    public async Task Creating_a_person_is_open_to_every_writer_and_idempotent()
    {
        var request = new CreatePersonRequest
        {
            Person = new Person { DisplayName = "Phạm Văn C", OtherNames = { "Pham Van C" }, Contact = new PersonContact { Email = "c@danang.gov.vn" } },
            RequestId = Guid.NewGuid().ToString(),
        };

        var created = await host.Writer(DaNang2025).CreatePersonAsync(request);

        Assert.Matches("^people/[0-9a-f]{32}$", created.Name);
        Assert.Equal("c@danang.gov.vn", created.Contact.Email);
        Assert.Equal(created, await host.Writer(DaNang2025).CreatePersonAsync(request));
        Assert.Single((await reader.SearchPeopleAsync(new SearchPeopleRequest { Query = "pham van c" })).People);
        await Failure.InvalidAsync(
            host.Writer(DaNang2025).CreatePersonAsync(new CreatePersonRequest
            {
                Person = new Person { DisplayName = " \t ", Contact = new PersonContact { Email = "not an address" } },
                RequestId = "123",
            }),
            "person.display_name", "person.contact.email");
        await Failure.CodeAsync(reader.CreatePersonAsync(new CreatePersonRequest { Person = new Person { DisplayName = "Phạm Văn E" } }), Code.PermissionDenied);
    }

    [Fact]
    public async Task Updating_a_person_needs_an_organisation_it_serves_and_the_current_etag()
    {
        var person = await host.Client(GiaLai2020).GetPersonAsync(new GetPersonRequest { Name = "people/tran-thi-b" });
        var rename = new UpdatePersonRequest { Person = person.Clone().Also(p => p.OtherNames.Add("Tran Thi B")), UpdateMask = new FieldMask { Paths = { "other_names" } } };

        var denied = await Failure.CodeAsync(host.Writer(DaNang2025).UpdatePersonAsync(rename), Code.PermissionDenied);
        var updated = await host.Writer(GiaLai2020).UpdatePersonAsync(rename);

        Assert.Equal("NOT_SERVED_ORGANISATION", denied.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(["Tran Thi B"], updated.OtherNames);
        await Failure.CodeAsync(host.Writer(GiaLai2020).UpdatePersonAsync(rename), Code.Aborted);
        await Failure.InvalidAsync(
            host.Writer(GiaLai2020).UpdatePersonAsync(new UpdatePersonRequest { Person = updated, UpdateMask = new FieldMask { Paths = { "name" } } }),
            "update_mask.paths[0]");
        await Failure.CodeAsync(
            host.AdminClient().UpdatePersonAsync(new UpdatePersonRequest { Person = new Person { Name = "people/khong-co" }, UpdateMask = new FieldMask { Paths = { "contact" } } }),
            Code.NotFound);
    }

    [Fact]
    public async Task A_post_shows_its_holder_on_the_date_and_its_holders_oldest_first()
    {
        var in2020 = await reader.GetPostAsync(new GetPostRequest { Name = "posts/chu-tich-gia-lai", AsOf = Day(2020, 1, 1) });
        var in2021 = await reader.GetPostAsync(new GetPostRequest { Name = "posts/chu-tich-gia-lai", AsOf = Day(2021, 1, 1) });
        var holders = await reader.ListPostHoldersAsync(new ListPostHoldersRequest { Parent = "posts/chu-tich-gia-lai" });

        Assert.Equal(("people/vo-ngoc-thanh", "Võ Ngọc Thành"), (in2020.Holder, in2020.HolderDisplayName));
        Assert.Equal("Trương Hải Long", in2021.HolderDisplayName);
        Assert.Equal(["Võ Ngọc Thành", "Trương Hải Long"], holders.PostHolders.Select(h => h.PersonDisplayName));
        Assert.Equal((2020, 11, 1), (holders.PostHolders[0].EndDate.Year, holders.PostHolders[0].EndDate.Month, holders.PostHolders[0].EndDate.Day));
        Assert.Equal("decisions/qd-1120", holders.PostHolders[1].Decision);
        await Failure.CodeAsync(reader.ListPostHoldersAsync(new ListPostHoldersRequest { Parent = "posts/khong-co" }), Code.NotFound);
    }

    [Fact]
    public async Task Posts_are_written_by_their_organisation_and_listed_by_title()
    {
        var writer = host.Writer(GiaLai2025);
        var post = new Post
        {
            DisplayName = "Giám đốc Sở Xây dựng tỉnh Gia Lai",
            Kind = PostKind.DepartmentDirector,
            Sector = "xay-dung",
            OrganisationDisplayName = "Sở Xây dựng tỉnh Gia Lai",
            Organisation = GiaLai2025,
        };

        var created = await writer.CreatePostAsync(new CreatePostRequest { Post = post, PostId = "giam-doc-sxd-gia-lai-2025" });

        Assert.Equal(("posts/giam-doc-sxd-gia-lai-2025", ""), (created.Name, created.Holder));
        await Failure.CodeAsync(writer.CreatePostAsync(new CreatePostRequest { Post = post, PostId = "giam-doc-sxd-gia-lai-2025" }), Code.AlreadyExists);
        await Failure.CodeAsync(host.Writer(DaNang2025).CreatePostAsync(new CreatePostRequest { Post = post }), Code.PermissionDenied);
        await Failure.InvalidAsync(
            writer.CreatePostAsync(new CreatePostRequest { Post = post.Clone().Also(p => { p.Kind = (PostKind)77; p.Sector = "Xây dựng"; p.Organisation = ""; }) }),
            "post.kind", "post.sector", "post.organisation");

        var listed = await reader.ListPostsAsync(new ListPostsRequest { Organisation = GiaLai2025 });
        Assert.Equal(["Chủ tịch UBND tỉnh Gia Lai", "Giám đốc Sở Xây dựng tỉnh Gia Lai"], listed.Posts.Select(p => p.DisplayName));
        var directors = await reader.ListPostsAsync(new ListPostsRequest { Kinds = { PostKind.DepartmentDirector }, Query = "so xay dung" });
        Assert.Equal(["posts/giam-doc-sxd-gia-lai-2025"], directors.Posts.Select(p => p.Name));

        var renamed = await writer.UpdatePostAsync(new UpdatePostRequest
        {
            Post = created.Clone().Also(p => p.DisplayName = "Giám đốc Sở Xây dựng tỉnh Gia Lai (mới)"),
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        Assert.Equal(renamed, await reader.GetPostAsync(new GetPostRequest { Name = created.Name }));
        await Failure.CodeAsync(
            writer.UpdatePostAsync(new UpdatePostRequest { Post = created, UpdateMask = new FieldMask { Paths = { "sector" } } }), Code.Aborted);
        await Failure.InvalidAsync(
            writer.UpdatePostAsync(new UpdatePostRequest { Post = renamed, UpdateMask = new FieldMask { Paths = { "kind" } } }), "update_mask.paths[0]");
        await Failure.CodeAsync(reader.GetPostAsync(new GetPostRequest { Name = "posts/khong-co" }), Code.NotFound);
    }
}
