using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Egov.Steering.Decisions.Data;

/// <summary>
/// For <c>dotnet ef migrations add</c> only: the migrations are PostgreSQL's (SQLite databases are created from the
/// model). No connection is opened to generate them.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DecisionsDbContext>
{
    public DecisionsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<DecisionsDbContext>()
        .UseNpgsql("Host=localhost;Database=decisions_design")
        .UseSnakeCaseNamingConvention()
        .Options);
}
