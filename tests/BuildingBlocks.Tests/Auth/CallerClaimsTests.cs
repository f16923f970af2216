using System.Security.Claims;
using Egov.Steering.ServiceDefaults.Auth;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

/// <summary>Which claims name a caller (Caller.TryRead, applied to every validly signed token).</summary>
public class CallerClaimsTests
{
    [Fact]
    public void One_subject_and_one_known_organisation_name_a_caller_with_its_scopes()
    {
        var principal = Principal(("sub", "clerk-9"), ("org", "province-2025-52"), ("scope", "steering.write openid"), ("scope", "steering.read"));

        Assert.True(Caller.TryRead(principal, out var caller, out _));
        Assert.Equal(("clerk-9", "province-2025-52"), (caller.Subject, caller.Organisation));
        Assert.True(caller.CanWrite("province-2025-52"));
        Assert.Equal(["openid", "steering.read", "steering.write"], caller.Scopes.Order());
    }

    [Theory]
    [InlineData("org as a list", "sub", "a", "org", "province-2025-52", "org", "national")]
    [InlineData("no org", "sub", "a")]
    [InlineData("empty org", "sub", "a", "org", "")]
    [InlineData("unknown org", "sub", "a", "org", "province-9999-99")]
    [InlineData("org in capitals", "sub", "a", "org", "NATIONAL")]
    [InlineData("org with a trailing space", "sub", "a", "org", "national ")]
    [InlineData("no sub", "org", "national")]
    [InlineData("two subs", "sub", "a", "sub", "b", "org", "national")]
    [InlineData("blank sub", "sub", " ", "org", "national")]
    [InlineData("sub with a NUL", "sub", "a\0b", "org", "national")]
    public void Claims_that_do_not_name_exactly_one_subject_and_one_known_organisation_name_no_caller(string form, params string[] claims)
    {
        var principal = Principal([.. claims.Chunk(2).Select(pair => (pair[0], pair[1]))]);

        Assert.False(Caller.TryRead(principal, out _, out var problem), form);
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.Same(Caller.Anonymous, Caller.From(principal));
    }

    [Fact]
    public void An_organisation_that_is_not_a_string_names_no_caller()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "a"), new Claim("org", "52", ClaimValueTypes.Integer)], "test"));

        Assert.False(Caller.TryRead(principal, out _, out _));
    }

    [Fact]
    public void A_subject_with_a_lone_surrogate_names_no_caller()
    {
        // Built here: test data of a theory would pass through serialisation, which replaces the surrogate.
        Assert.False(Caller.TryRead(Principal(("sub", "a\ud800"), ("org", "national")), out _, out _));
    }

    [Fact]
    public void A_subject_longer_than_255_characters_names_no_caller()
    {
        Assert.False(Caller.TryRead(Principal(("sub", new string('s', 256)), ("org", "national")), out _, out _));
        Assert.True(Caller.TryRead(Principal(("sub", new string('s', 255)), ("org", "national")), out _, out _));
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), "test"));
}
