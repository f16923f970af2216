using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.Testing.V1;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

public sealed class PageTokenTests
{
    private static readonly ListThingsRequest Query = new() { Parent = "committees/gia-lai", Filter = "level=PROVINCE", PageSize = 10 };

    [Fact]
    public void A_token_carries_the_last_key_to_the_next_page_of_the_same_query()
    {
        var token = PageToken.Create(Query, "0a1b2c", "memberships/m-17");

        var next = Query.Clone();
        next.PageToken = token;
        next.PageSize = 50; // AIP-158: page_size may change between pages.

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(["0a1b2c", "memberships/m-17"], PageToken.Parse(next, next.PageToken));
    }

    [Fact]
    public void No_token_is_the_first_page() => Assert.Null(PageToken.Parse(Query, ""));

    [Fact]
    public void A_token_reused_with_other_filters_is_rejected_on_page_token()
    {
        var token = PageToken.Create(Query, "0a1b2c");
        var other = Query.Clone();
        other.Filter = "level=NATIONAL";
        other.PageToken = token;

        var error = Assert.Throws<RequestValidationException>(() => PageToken.Parse(other, other.PageToken));

        Assert.Equal(PageToken.Field, Assert.Single(error.Violations).Field);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.Code);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("AQ")]
    [InlineData("Zm9vYmFy")]
    public void A_malformed_token_is_rejected_on_page_token(string token)
    {
        var error = Assert.Throws<RequestValidationException>(() => PageToken.Parse(Query, token));

        Assert.Equal(PageToken.Field, Assert.Single(error.Violations).Field);
    }
}
