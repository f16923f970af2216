using System.Text.Json;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Messaging;
using Egov.Steering.Storage;
using Egov.Steering.Types.V1;
using Egov.Steering.Writes;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace Egov.Steering.Decisions.Data;

/// <summary>The Decisions database: decisions, plus the outbox, inbox, idempotency and audit tables.</summary>
public sealed class DecisionsDbContext(DbContextOptions<DecisionsDbContext> options) : DbContext(options)
{
    private const string IssuedNumberIndex = "ix_decisions_issued_number";
    private const string DecisionsKey = "pk_decisions";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DbSet<Decision> Decisions => Set<Decision>();

    public DbSet<CommitteeIssueSequence> CommitteeIssueSequences => Set<CommitteeIssueSequence>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseListComparers();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddIdempotencyAndAudit();

        modelBuilder.Entity<Decision>(decision =>
        {
            decision.ToTable("decisions");
            decision.HasKey(d => d.Id);
            decision.Ignore(d => d.Name);
            decision.Property(d => d.Id).HasMaxLength(63);
            decision.Property(d => d.Version).IsConcurrencyToken();
            decision.Property(d => d.OwnerOrganisation).HasMaxLength(100);
            decision.Property(d => d.IssuerOrganisation).HasMaxLength(100);
            decision.Property(d => d.Number).HasMaxLength(100);
            decision.Property(d => d.NumberFolded).HasMaxLength(100);
            decision.Property(d => d.Title).HasMaxLength(1000);
            decision.Property(d => d.TitleFolded).HasMaxLength(1000);
            decision.Property(d => d.Revokes).HasMaxLength(100);
            decision.Property(d => d.EventJurisdiction).HasMaxLength(100);

            decision.OwnsOne(d => d.SignedDate, CivilDayColumns);
            decision.OwnsOne(d => d.EffectiveDate, CivilDayColumns);

            // Read and written whole with the decision, never queried: JSON text, the same on PostgreSQL and SQLite.
            JsonColumn(decision.Property(d => d.Signer));
            JsonColumn(decision.Property(d => d.LegalBasis), ListComparers.ForReadOnlyList<Citation>());
            JsonColumn(decision.Property(d => d.Document));
            JsonColumn(decision.Property(d => d.Source));
            JsonColumn(decision.Property(d => d.AdditionalSources), ListComparers.ForReadOnlyList<SecondarySource>());

            // The contract is the schema of the changes and reasons: stored as their protobuf encoding.
            decision.Property(d => d.Changes).HasConversion(
                changes => ProtobufList.Write(changes.Select(change => change.Encoded)),
                bytes => ProtobufList.Read(bytes).Select(ChangeMapping.FromEncoded).ToList(),
                ListComparers.ForReadOnlyList<DecisionChange>());
            decision.Property(d => d.RejectionReasons).HasConversion(
                reasons => ProtobufList.Write(reasons.Select(reason => reason.ToMessage().ToByteArray())),
                bytes => ProtobufList.Read(bytes).Select(encoded => ValidationProblem.Parser.ParseFrom(encoded).ToDomain()).ToList(),
                ListComparers.ForReadOnlyList<Problem>());

            // A number is issued once per issuer. Validation checks it; this index settles two issues racing with one
            // number. As in that check, drafts claim no number and a rejected decision never took effect.
            decision.HasIndex(d => new { d.IssuerOrganisation, d.NumberFolded })
                .IsUnique()
                .HasFilter($"number_folded <> '' AND state NOT IN ({(int)DecisionState.Draft}, {(int)DecisionState.Rejected})")
                .HasDatabaseName(IssuedNumberIndex);
            decision.HasIndex(d => new { d.EffectiveOn, d.Id });
            decision.HasIndex(d => new { d.State, d.IssueTime });
            decision.HasIndex(d => d.Revokes);
        });

        // Written by CommitteeIssueSequences' SQL only: keep the names it uses.
        modelBuilder.Entity<CommitteeIssueSequence>(sequence =>
        {
            sequence.ToTable("committee_issue_sequences");
            sequence.HasKey(s => s.Committee);
            sequence.Property(s => s.Committee).HasColumnName("committee").HasMaxLength(300);
            sequence.Property(s => s.LastSequence).HasColumnName("last_sequence");
        });
    }

    private static void CivilDayColumns<TOwner>(OwnedNavigationBuilder<TOwner, CivilDay> date)
        where TOwner : class
    {
        date.Property(d => d.Year);
        date.Property(d => d.Month);
        date.Property(d => d.Day);
        date.Property(d => d.Precision);
    }

    /// <summary>Whether a write failed because another decision of the issuer was issued with the same number meanwhile.</summary>
    public static bool IsIssuedNumberTaken(Exception exception) => IsUniqueViolation(exception, IssuedNumberIndex, "number_folded");

    /// <summary>Whether saving a new decision failed because a decision with its id exists.</summary>
    public static bool IsDecisionIdTaken(DbUpdateException exception) => IsUniqueViolation(exception, DecisionsKey, "decisions.id");

    /// <summary>
    /// A unique violation of <paramref name="constraint"/> (PostgreSQL names it; SQLite names the column in its message,
    /// <paramref name="sqliteColumn"/>), from a save (the driver's error inside) or a bulk statement (the driver's own).
    /// </summary>
    private static bool IsUniqueViolation(Exception exception, string constraint, string sqliteColumn) =>
        (exception is DbUpdateException ? exception.InnerException : exception) switch
        {
            PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation && postgres.ConstraintName == constraint,
            SqliteException sqlite => sqlite.SqliteErrorCode == SqliteUniqueViolation && sqlite.Message.Contains(sqliteColumn, StringComparison.Ordinal),
            _ => false,
        };

    private const int SqliteUniqueViolation = 19; // SQLITE_CONSTRAINT

    private static void JsonColumn<T>(PropertyBuilder<T> property, ValueComparer<T>? comparer = null) =>
        property.HasConversion(
            value => JsonSerializer.Serialize(value, Json),
            text => JsonSerializer.Deserialize<T>(text, Json)!,
            comparer ?? new ValueComparer<T>(
                (left, right) => Equals(left, right),
                value => value == null ? 0 : value.GetHashCode()));
}

/// <summary>A list of encoded protobuf messages as one blob: each message length-prefixed, in order.</summary>
internal static class ProtobufList
{
    public static byte[] Write(IEnumerable<byte[]> encodedMessages)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            foreach (var encoded in encodedMessages)
            {
                output.WriteBytes(UnsafeByteOperations.UnsafeWrap(encoded));
            }
        }

        return stream.ToArray();
    }

    public static IEnumerable<byte[]> Read(byte[] bytes)
    {
        using var input = new CodedInputStream(bytes);
        while (!input.IsAtEnd)
        {
            yield return input.ReadBytes().ToByteArray();
        }
    }
}
