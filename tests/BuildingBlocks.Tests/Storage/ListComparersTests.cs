using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.BuildingBlocks.Tests.Storage;

/// <summary>
/// List-valued columns compared by <see cref="ListComparers"/>: a change inside a list is saved, an untouched list is
/// not written, and no comparison builds a delegate on each call (EF Core's own comparers nest a lambda).
/// </summary>
public sealed class ListComparersTests
{
    [Fact]
    public void No_list_comparer_of_the_model_nests_a_lambda()
    {
        using var db = new ListsContext(new DbContextOptionsBuilder<ListsContext>().UseNpgsql("Host=unused").Options);

        Assert.Empty(ModelComparers.NestingLambdas(db.Model));
    }

    [Fact]
    public async Task A_change_inside_a_list_is_saved_and_an_untouched_list_is_not_written()
    {
        var options = new DbContextOptionsBuilder<ListsContext>().UseNpgsql(await TestInfrastructure.CreateDatabaseAsync("lists")).Options;
        await using (var db = new ListsContext(options))
        {
            await db.Database.EnsureCreatedAsync();
            db.Add(new Listed { Id = 1, Names = ["Gia Lai", "Bình Định"], Days = [DayOfWeek.Monday] });
            await db.SaveChangesAsync();
        }

        await using (var db = new ListsContext(options))
        {
            var listed = await db.Set<Listed>().SingleAsync();
            db.ChangeTracker.DetectChanges();
            Assert.Equal(EntityState.Unchanged, db.Entry(listed).State);

            listed.Names[1] = "Kon Tum";
            listed.Days.Add(DayOfWeek.Friday);
            db.ChangeTracker.DetectChanges();
            Assert.True(db.Entry(listed).Property(l => l.Names).IsModified);
            Assert.True(db.Entry(listed).Property(l => l.Days).IsModified);
            await db.SaveChangesAsync();
        }

        await using (var db = new ListsContext(options))
        {
            var listed = await db.Set<Listed>().SingleAsync();
            Assert.Equal(["Gia Lai", "Kon Tum"], listed.Names);
            Assert.Equal([DayOfWeek.Monday, DayOfWeek.Friday], listed.Days);
        }
    }

    private sealed class Listed
    {
        public int Id { get; set; }

        public List<string> Names { get; set; } = [];

        public List<DayOfWeek> Days { get; set; } = [];
    }

    private sealed class ListsContext(DbContextOptions<ListsContext> options) : DbContext(options)
    {
        protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseListComparers();

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Listed>(listed =>
            {
                listed.Property(l => l.Id).ValueGeneratedNever();
                listed.PrimitiveCollection(l => l.Days).ElementType().HasConversion<string>();
            });
    }
}
