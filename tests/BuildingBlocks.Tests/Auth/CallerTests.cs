using Egov.Steering.Access;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

public class CallerTests
{
    private const string GiaLai = "province-2025-52";
    private const string DaNang = "province-2025-48";

    [Fact]
    public void A_province_with_the_write_scope_may_write_its_own_committee()
    {
        var caller = new Caller("clerk", GiaLai, [SteeringScopes.Write]);

        caller.EnsureCanWrite(GiaLai);
    }

    [Fact]
    public void A_province_may_not_write_another_organisations_committee()
    {
        var caller = new Caller("clerk", GiaLai, [SteeringScopes.Write]);

        var denied = Assert.Throws<PermissionDeniedException>(() => caller.EnsureCanWrite(DaNang));
        Assert.Equal("OTHER_ORGANISATION", denied.Reason);
    }

    [Fact]
    public void The_read_scope_alone_does_not_allow_writing_even_the_own_committee()
    {
        var caller = new Caller("viewer", GiaLai, [SteeringScopes.Read]);

        var denied = Assert.Throws<PermissionDeniedException>(() => caller.EnsureCanWrite(GiaLai));
        Assert.Equal("WRITE_SCOPE_REQUIRED", denied.Reason);
        caller.EnsureCanRead();
    }

    [Fact]
    public void The_national_admin_may_write_every_organisations_committee()
    {
        var caller = new Caller("operator", "national", [SteeringScopes.Admin]);

        Assert.True(caller.IsAdmin);
        caller.EnsureCanWrite(GiaLai);
        caller.EnsureCanWrite("ministry-btttt");
        caller.EnsureCanRead();
    }

    [Fact]
    public void The_admin_scope_outside_the_national_organisation_writes_only_its_own_data()
    {
        var caller = new Caller("minister-office", "ministry-btttt", [SteeringScopes.Admin]);

        Assert.False(caller.IsAdmin);
        caller.EnsureCanWrite("ministry-btttt");
        Assert.Throws<PermissionDeniedException>(() => caller.EnsureCanWrite(GiaLai));
    }

    [Fact]
    public void The_national_organisation_without_the_admin_scope_is_not_an_admin()
    {
        var caller = new Caller("clerk", "national", [SteeringScopes.Write]);

        Assert.False(caller.IsAdmin);
        caller.EnsureCanWrite("national");
        Assert.Throws<PermissionDeniedException>(() => caller.EnsureCanWrite(GiaLai));
    }

    [Fact]
    public void An_anonymous_caller_may_neither_read_nor_write()
    {
        Assert.Throws<PermissionDeniedException>(Caller.Anonymous.EnsureCanRead);
        Assert.Throws<PermissionDeniedException>(() => Caller.Anonymous.EnsureCanWrite(string.Empty));
    }
}
