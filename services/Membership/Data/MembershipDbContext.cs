using System.Linq.Expressions;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Messaging;
using Egov.Steering.Storage;
using Egov.Steering.Text;
using Egov.Steering.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// The Membership database: the register (committees with everything inside them, posts with holders, people),
/// applied decisions, compliance rules and results, reference organisations, plus the outbox/inbox and the
/// idempotency/audit tables of the building blocks. Names are snake_case (set by AddServiceDbContext).
/// </summary>
public sealed class MembershipDbContext(DbContextOptions<MembershipDbContext> options) : DbContext(options)
{
    /// <summary>Folded text (lower case, no diacritics, đ → d) searched with LIKE.</summary>
    public const string SearchText = "SearchText";

    /// <summary>vi-VN ICU sort key (hex), ordered bytewise.</summary>
    public const string SortKey = "SortKey";

    /// <summary>
    /// The collation in which text compares ordinally (bytewise): "C" on PostgreSQL, whose default is linguistic;
    /// null on SQLite, whose default BINARY already is.
    /// </summary>
    public string? BytewiseCollation => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? "C" : null;

    public DbSet<Committee> Committees => Set<Committee>();

    public DbSet<Post> Posts => Set<Post>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<AppliedDecision> AppliedDecisions => Set<AppliedDecision>();

    public DbSet<ComplianceRule> ComplianceRules => Set<ComplianceRule>();

    public DbSet<CommitteeComplianceRecord> CommitteeCompliance => Set<CommitteeComplianceRecord>();

    public DbSet<OrganisationRecord> Organisations => Set<OrganisationRecord>();

    public DbSet<MembershipCorrection> MembershipCorrections => Set<MembershipCorrection>();

    /// <summary>Committees with every part of the aggregate (names, mandates, memberships with roles, groups, decisions).</summary>
    public IQueryable<Committee> CommitteeAggregates => CommitteesWith(c => c.Memberships, c => c.Decisions);

    /// <summary>
    /// Committees with every part of the aggregate but only the memberships (with their role periods) and decision
    /// records that <paramref name="memberships"/> and <paramref name="decisions"/> select (filtered includes): a
    /// decision needs a committee's current seats and the records its rules read, not its whole history.
    /// </summary>
    public IQueryable<Committee> CommitteesWith(
        Expression<Func<Committee, IEnumerable<CommitteeMembership>>> memberships,
        Expression<Func<Committee, IEnumerable<CommitteeDecision>>> decisions) => Committees
        .Include(c => c.Names).Include(c => c.Mandates).Include(c => c.FocalAgencies)
        .Include(memberships).ThenInclude(m => m.RolePeriods)
        .Include(c => c.WorkingGroups).ThenInclude(g => g.Seats)
        .Include(decisions)
        .AsSplitQuery();

    public IQueryable<Post> PostAggregates => Posts.Include(p => p.Holders);

    /// <summary>Which of <paramref name="codes"/> ceased (reference data), with their successors.</summary>
    public Task<List<CeasedJurisdiction>> CeasedJurisdictionsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
        Organisations.AsNoTracking()
            .Where(o => codes.Contains(o.Code) && o.End != null)
            .Select(o => new CeasedJurisdiction(o.Code, o.End!.Value, o.SuccessorCode))
            .ToListAsync(cancellationToken);

    // Changes are detected once, before the stamps; what follows (the view interceptor, EF's own save) uses that detection.
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        using var detected = ChangeTracker.PauseDetection();
        PrepareToSave();
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ChangeTracker.DetectChanges();
        using var detected = ChangeTracker.PauseDetection();
        PrepareToSave();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<CivilDate>().HaveConversion<CivilDateConverter>().HaveMaxLength(CivilDateConverter.MaxLength);
        configurationBuilder.UseListComparers();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var bytewise = BytewiseCollation;
        modelBuilder.Entity<Committee>(committee => MapCommittee(committee, bytewise));
        modelBuilder.Entity<CommitteeDecision>(MapCommitteeDecision);
        modelBuilder.Entity<CommitteeMembership>(MapMembership);
        modelBuilder.Entity<WorkingGroup>(MapWorkingGroup);
        modelBuilder.Entity<Post>(post => MapPost(post, bytewise));
        modelBuilder.Entity<Person>(person => MapPerson(person, bytewise));
        modelBuilder.Entity<AppliedDecision>(MapAppliedDecision);
        modelBuilder.Entity<ComplianceRule>(MapComplianceRule);
        modelBuilder.Entity<CommitteeComplianceRecord>(MapCompliance);
        modelBuilder.Entity<OrganisationRecord>(MapOrganisation);
        modelBuilder.Entity<MembershipCorrection>(MapCorrection);

        // "start"/"end" are SQL keywords; every period reads start_date/end_date as in the contract.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.Name is nameof(ITimeBound.Start) or nameof(ITimeBound.End)))
        {
            property.SetColumnName(property.Name == nameof(ITimeBound.Start) ? "start_date" : "end_date");
        }

        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddIdempotencyAndAudit();
    }

    private static void MapCommittee(EntityTypeBuilder<Committee> committee, string? bytewise)
    {
        committee.ToTable("committees");
        committee.HasKey(c => c.Id);
        committee.Property(c => c.Id).HasMaxLength(63);
        committee.Property(c => c.Level).HasConversion<string>().HasMaxLength(20);
        committee.Property(c => c.Jurisdiction).HasMaxLength(50);
        committee.Property(c => c.ParentId).HasMaxLength(63);
        committee.Property(c => c.SuccessorId).HasMaxLength(63);
        committee.Property(c => c.EndState).HasConversion<string>().HasMaxLength(20);
        committee.Property(c => c.Description).HasMaxLength(TextLimits.Description);
        committee.ComplexProperty(c => c.Contact);
        committee.Property(c => c.Version).IsConcurrencyToken();
        committee.Ignore(c => c.ResourceName);
        committee.Ignore(c => c.JurisdictionEnd);
        committee.Ignore(c => c.LifeEnd);
        committee.HasIndex(c => c.Jurisdiction);
        committee.HasIndex(c => c.SuccessorId);
        // The overview reads the national, ministry and province committees: a few dozen among every commune's.
        committee.HasIndex(c => c.Level);
        MapSearchColumns(committee, bytewise);
        committee.HasIndex(SortKey);

        committee.OwnsManyHistory(c => c.Names, "committee_names", name => name.Property(n => n.DisplayName).HasMaxLength(TextLimits.Name));
        committee.OwnsManyHistory(c => c.Mandates, "committee_mandates", mandate => mandate.PrimitiveCollection(m => m.Topics).ElementType().HasConversion<string>());
        committee.OwnsManyHistory(c => c.FocalAgencies, "committee_focal_agencies", agency => agency.OwnsOne(a => a.Agency, a =>
        {
            a.Property(x => x.DisplayName).HasMaxLength(TextLimits.Name).HasColumnName("display_name");
            a.Property(x => x.Organisation).HasMaxLength(50).HasColumnName("organisation");
        }));
        // An entity of its own, not owned: a decision loads only the records its rules read (RegisterStore), and EF
        // does not filter an owned collection.
        committee.HasMany(c => c.Decisions).WithOne().HasForeignKey("CommitteeId").IsRequired();
        committee.HasMany(c => c.Memberships).WithOne().HasForeignKey(m => m.CommitteeId);
        committee.HasMany(c => c.WorkingGroups).WithOne().HasForeignKey(g => g.CommitteeId);
    }

    private static void MapCommitteeDecision(EntityTypeBuilder<CommitteeDecision> decision)
    {
        decision.ToTable("committee_decisions");
        // A generated key: a row with a key set by the client would be taken for an existing one.
        decision.Property<long>("Id");
        decision.HasKey("Id");
        decision.Property<string>("CommitteeId").HasMaxLength(63);
        decision.HasIndex("CommitteeId", nameof(CommitteeDecision.DecisionId)).IsUnique();
        decision.Property(d => d.DecisionId).HasMaxLength(100);
        decision.Property(d => d.Number).HasMaxLength(100);
        decision.PrimitiveCollection(d => d.Kinds).ElementType().HasConversion<string>();
        decision.PrimitiveCollection(d => d.LegalBasis);
        decision.HasIndex(d => d.DecisionId);
    }

    private static void MapMembership(EntityTypeBuilder<CommitteeMembership> membership)
    {
        membership.ToTable("memberships");
        membership.HasKey(m => new { m.CommitteeId, m.Id });
        membership.Property(m => m.Id).HasMaxLength(20);
        membership.Property(m => m.PersonId).HasMaxLength(63);
        membership.Property(m => m.PostId).HasMaxLength(63);
        membership.Property(m => m.AppointingDecisionId).HasMaxLength(100);
        membership.Property(m => m.EndingDecisionId).HasMaxLength(100);
        membership.Property(m => m.EndReason).HasMaxLength(TextLimits.Reason);
        membership.Ignore(m => m.Holder);
        membership.Ignore(m => m.CurrentRoles);
        membership.Ignore(m => m.ResourceName);
        membership.HasIndex(m => m.PersonId);
        membership.HasIndex(m => m.PostId);
        membership.HasIndex(m => m.AppointingDecisionId);
        membership.HasIndex(m => m.EndingDecisionId);
        membership.OwnsMany(m => m.RolePeriods, period =>
        {
            period.ToTable("membership_role_periods");
            period.Property<long>("Id");
            period.HasKey("Id");
            period.PrimitiveCollection(p => p.Roles).ElementType().HasConversion<string>();
            period.Property(p => p.OtherRole).HasMaxLength(TextLimits.Name);
            period.Property(p => p.DecisionId).HasMaxLength(100);
            period.Ignore(p => p.RoleSet);
        });
    }

    private static void MapWorkingGroup(EntityTypeBuilder<WorkingGroup> group)
    {
        group.ToTable("working_groups");
        group.HasKey(g => new { g.CommitteeId, g.Id });
        group.Property(g => g.Id).HasMaxLength(63);
        group.Property(g => g.DisplayName).HasMaxLength(TextLimits.Name);
        group.Property(g => g.Purpose).HasMaxLength(TextLimits.Description);
        group.Property(g => g.EstablishingDecisionId).HasMaxLength(100);
        group.Property(g => g.DissolvingDecisionId).HasMaxLength(100);
        group.Ignore(g => g.ResourceName);
        group.OwnsMany(g => g.Seats, seat =>
        {
            seat.ToTable("working_group_seats");
            seat.Property<long>("Id");
            seat.HasKey("Id");
            seat.Property(s => s.PersonId).HasMaxLength(63);
            seat.Property(s => s.PostId).HasMaxLength(63);
            seat.Property(s => s.Role).HasConversion<string>().HasMaxLength(20);
            seat.Property(s => s.DecisionId).HasMaxLength(100);
            seat.Ignore(s => s.Holder);
        });
    }

    private static void MapPost(EntityTypeBuilder<Post> post, string? bytewise)
    {
        post.ToTable("posts");
        post.HasKey(p => p.Id);
        post.Property(p => p.Id).HasMaxLength(63);
        post.Property(p => p.DisplayName).HasMaxLength(TextLimits.Name);
        post.Property(p => p.Kind).HasConversion<string>().HasMaxLength(40);
        post.Property(p => p.Sector).HasMaxLength(63);
        post.Property(p => p.OrganisationDisplayName).HasMaxLength(TextLimits.Name);
        post.Property(p => p.Organisation).HasMaxLength(50);
        post.Property(p => p.Version).IsConcurrencyToken();
        post.Ignore(p => p.ResourceName);
        post.HasIndex(p => new { p.Organisation, p.Kind });
        MapSearchColumns(post, bytewise);
        MapKeysetIndex(post, bytewise);
        post.OwnsMany(p => p.Holders, holder =>
        {
            holder.ToTable("post_holders");
            holder.WithOwner().HasForeignKey("PostId");
            holder.Property<long>("Id");
            holder.HasKey("Id");
            holder.HasIndex("PostId", nameof(PostHolder.Number)).IsUnique();
            holder.Property(h => h.PersonId).HasMaxLength(63);
            holder.Property(h => h.DecisionId).HasMaxLength(100);
            holder.HasIndex(h => h.PersonId);
            holder.HasIndex(h => h.DecisionId);
        });
    }

    private static void MapPerson(EntityTypeBuilder<Person> person, string? bytewise)
    {
        person.ToTable("people");
        person.HasKey(p => p.Id);
        person.Property(p => p.Id).HasMaxLength(63);
        person.Property(p => p.DisplayName).HasMaxLength(TextLimits.PersonName);
        person.Property(p => p.Email).HasMaxLength(320);
        person.Property(p => p.Phone).HasMaxLength(50);
        person.Property(p => p.Version).IsConcurrencyToken();
        person.Ignore(p => p.ResourceName);
        MapSearchColumns(person, bytewise);
        MapKeysetIndex(person, bytewise);
    }

    private static void MapAppliedDecision(EntityTypeBuilder<AppliedDecision> decision)
    {
        decision.ToTable("applied_decisions");
        decision.HasKey(d => d.DecisionId);
        decision.Property(d => d.DecisionId).HasMaxLength(100);
        decision.Property(d => d.Number).HasMaxLength(100);
    }

    private static void MapComplianceRule(EntityTypeBuilder<ComplianceRule> rule)
    {
        rule.ToTable("compliance_rules");
        rule.HasKey(r => r.Id);
        rule.Property(r => r.Id).HasMaxLength(63);
        rule.Property(r => r.DisplayName).HasMaxLength(TextLimits.Name);
        rule.Property(r => r.Description).HasMaxLength(TextLimits.Description);
        rule.Property(r => r.SourceDecision).HasMaxLength(100);
        rule.Property(r => r.Source).HasMaxLength(2000);
        rule.Property(r => r.Kind).HasConversion<string>().HasMaxLength(40);
        rule.Property(r => r.Role).HasConversion<string>().HasMaxLength(40);
        rule.PrimitiveCollection(r => r.Levels).ElementType().HasConversion<string>();
        rule.PrimitiveCollection(r => r.PostKinds).ElementType().HasConversion<string>();
        rule.PrimitiveCollection(r => r.Roles).ElementType().HasConversion<string>();
        rule.Property(r => r.Version).IsConcurrencyToken();
        rule.Ignore(r => r.ResourceName);
    }

    private static void MapCompliance(EntityTypeBuilder<CommitteeComplianceRecord> compliance)
    {
        compliance.ToTable("committee_compliance");
        compliance.HasKey(c => c.CommitteeId);
        compliance.Property(c => c.CommitteeId).HasMaxLength(63);
        compliance.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        compliance.OwnsMany(c => c.Findings, finding =>
        {
            finding.ToJson();
            finding.Property(f => f.RuleId).HasMaxLength(63);
        });
        compliance.HasIndex(c => c.Status);
    }

    private static void MapOrganisation(EntityTypeBuilder<OrganisationRecord> organisation)
    {
        organisation.ToTable("organisations");
        organisation.HasKey(o => o.Code);
        organisation.Property(o => o.Code).HasMaxLength(50);
        organisation.Property(o => o.Level).HasConversion<string>().HasMaxLength(20);
        organisation.Property(o => o.DisplayName).HasMaxLength(TextLimits.Name);
        organisation.Property(o => o.SuccessorCode).HasMaxLength(50);
    }

    private static void MapCorrection(EntityTypeBuilder<MembershipCorrection> correction)
    {
        correction.ToTable("membership_corrections");
        correction.HasKey(c => c.Id);
        correction.Property(c => c.CommitteeId).HasMaxLength(63);
        correction.Property(c => c.MembershipId).HasMaxLength(20);
        correction.Property(c => c.Reason).HasMaxLength(1000);
        correction.Property(c => c.Subject).HasMaxLength(200);
        correction.Property(c => c.Organisation).HasMaxLength(50);
        correction.HasIndex(c => new { c.CommitteeId, c.MembershipId });
    }

    private static void MapSearchColumns<T>(EntityTypeBuilder<T> entity, string? bytewise)
        where T : class
    {
        // Unbounded: it holds every name the record ever had, and a committee's grow with each rename.
        entity.Property<string>(SearchText);
        entity.Property<string>(SortKey).HasMaxLength(VietnameseText.MaxSortKeyLength).UseCollation(bytewise);
    }

    /// <summary>
    /// The index of lists paged in SQL by (sort key, id) (UseCases/NamePaging.cs): ids compare bytewise there too.
    /// Committees are sorted in memory by their name on the as-of date, and keep the plain sort-key index.
    /// </summary>
    private static void MapKeysetIndex<T>(EntityTypeBuilder<T> entity, string? bytewise)
        where T : class
    {
        var index = entity.HasIndex(SortKey, "Id");
        if (bytewise is not null)
        {
            index.UseCollation(bytewise, bytewise);
        }
    }

    /// <summary>UTC timestamps on every aggregate written, and the search columns of what people look up by name.</summary>
    /// <summary>Stamps, indexes and counts revisions over the changes as detected (<see cref="ChangeDetection"/>).</summary>
    private void PrepareToSave()
    {
        StampAndIndex();
        CountRevisions();
    }

    private void StampAndIndex()
    {
        // Microseconds, as PostgreSQL keeps them: an answer built from the saved entity equals one read back later.
        var now = new DateTime(DateTime.UtcNow.Ticks / 10 * 10, DateTimeKind.Utc);
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            var created = entry.Metadata.FindProperty(nameof(Committee.CreatedAt));
            if (created is not null && entry.State == EntityState.Added)
            {
                entry.Property(created).CurrentValue = now;
            }

            if (entry.Metadata.FindProperty(nameof(Committee.UpdatedAt)) is { } updated)
            {
                entry.Property(updated).CurrentValue = now;
            }

            if (DerivedText(entry.Entity) is var (searchText, sortKey))
            {
                entry.Property(SearchText).CurrentValue = searchText;
                entry.Property(SortKey).CurrentValue = sortKey;
            }
        }
    }

    /// <summary>
    /// The <see cref="SearchText"/> (every name folded) and <see cref="SortKey"/> (the current name's) of a record looked
    /// up by name; null for the others. Written on every save, and refreshed by the seeding step when the fold or the
    /// order changes.
    /// </summary>
    internal static (string SearchText, string SortKey)? DerivedText(object entity)
    {
        var names = entity switch
        {
            Committee c => (Current: c.Names[^1].DisplayName, All: c.Names.Select(n => n.DisplayName).Concat(c.OtherSpellings)),
            Person p => (Current: p.DisplayName, All: p.OtherNames.Prepend(p.DisplayName)),
            Post p => (Current: p.DisplayName, All: [p.DisplayName, p.OrganisationDisplayName]),
            _ => default,
        };
        return names.Current is null ? null : (string.Join('\n', names.All.Select(VietnameseText.Fold).Distinct()), VietnameseText.SortKey(names.Current));
    }

    /// <summary>
    /// Bumps the etag counter of each post and working group saved with a change to itself or to its holders or seats:
    /// decisions change those through the committee or the post, so the store is the one place that sees them all.
    /// After <see cref="StampAndIndex"/>, so that a change of seats alone leaves the group's update time as it was.
    /// </summary>
    private void CountRevisions()
    {
        foreach (var entry in ChangeTracker.Entries().Where(e => e.Entity is Post or WorkingGroup).ToList())
        {
            IEnumerable<object> parts = entry.Entity is Post post ? post.Holders : ((WorkingGroup)entry.Entity).Seats;
            if (entry.State is EntityState.Added or EntityState.Modified || parts.Any(part => Entry(part).State is EntityState.Added or EntityState.Modified))
            {
                var revision = entry.Property(nameof(Post.Revision));
                revision.CurrentValue = (long)revision.CurrentValue! + 1;
            }
        }
    }
}

internal static class HistoryMapping
{
    /// <summary>A committee's history of one value (names, mandates, focal agencies) in a table of its own.</summary>
    public static void OwnsManyHistory<T>(
        this EntityTypeBuilder<Committee> committee,
        System.Linq.Expressions.Expression<Func<Committee, IEnumerable<T>?>> navigation,
        string table,
        Action<OwnedNavigationBuilder<Committee, T>> configure)
        where T : CommitteePeriod => committee.OwnsMany(navigation, period =>
        {
            period.ToTable(table);
            period.WithOwner().HasForeignKey("CommitteeId");
            period.Property<long>("Id");
            period.HasKey("Id");
            period.Property(p => p.DecisionId).HasMaxLength(100);
            configure(period);
        });
}
