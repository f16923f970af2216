using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// For <c>dotnet ef migrations add</c> only: the migrations are PostgreSQL's (SQLite databases are created from the
/// model). No connection is opened to generate them.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MembershipDbContext>
{
    public MembershipDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<MembershipDbContext>()
        .UseNpgsql("Host=localhost;Database=membership_design")
        .UseSnakeCaseNamingConvention()
        .Options);
}
