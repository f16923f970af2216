using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Egov.Steering.Decisions.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    occurred_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    method = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    resource = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    request_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "decisions",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    owner_organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    number_folded = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    issuer_organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    issuer_display_name = table.Column<string>(type: "text", nullable: false),
                    signer = table.Column<string>(type: "text", nullable: true),
                    signed_date_year = table.Column<int>(type: "integer", nullable: true),
                    signed_date_month = table.Column<int>(type: "integer", nullable: true),
                    signed_date_day = table.Column<int>(type: "integer", nullable: true),
                    signed_date_precision = table.Column<int>(type: "integer", nullable: true),
                    effective_date_year = table.Column<int>(type: "integer", nullable: true),
                    effective_date_month = table.Column<int>(type: "integer", nullable: true),
                    effective_date_day = table.Column<int>(type: "integer", nullable: true),
                    effective_date_precision = table.Column<int>(type: "integer", nullable: true),
                    effective_on = table.Column<DateOnly>(type: "date", nullable: false),
                    kinds = table.Column<int[]>(type: "integer[]", nullable: false),
                    subject_committees = table.Column<List<string>>(type: "text[]", nullable: false),
                    title = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    title_folded = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    summary_folded = table.Column<string>(type: "text", nullable: false),
                    legal_basis = table.Column<string>(type: "text", nullable: false),
                    document = table.Column<string>(type: "text", nullable: true),
                    source = table.Column<string>(type: "text", nullable: true),
                    changes = table.Column<byte[]>(type: "bytea", nullable: false),
                    supersedes = table.Column<List<string>>(type: "text[]", nullable: false),
                    revokes = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    revoked_by = table.Column<string>(type: "text", nullable: false),
                    superseded_by = table.Column<string>(type: "text", nullable: false),
                    rejection_reasons = table.Column<byte[]>(type: "bytea", nullable: false),
                    event_committee = table.Column<string>(type: "text", nullable: false),
                    event_committee_level = table.Column<int>(type: "integer", nullable: false),
                    event_jurisdiction = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    event_version = table.Column<long>(type: "bigint", nullable: false),
                    create_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    update_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    issue_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    outcome_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_decisions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    caller_organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    caller_subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    method = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    response = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_records", x => new { x.caller_organisation, x.caller_subject, x.request_id });
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    handled_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.consumer, x.message_id });
                });

            migrationBuilder.CreateTable(
                name: "inbox_positions",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    aggregate = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_positions", x => new { x.consumer, x.aggregate });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    partition = table.Column<int>(type: "integer", nullable: false),
                    aggregate = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    aggregate_version = table.Column<long>(type: "bigint", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    headers = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_occurred_at_id",
                table: "audit_records",
                columns: new[] { "occurred_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_organisation_occurred_at",
                table: "audit_records",
                columns: new[] { "organisation", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_records_resource_occurred_at",
                table: "audit_records",
                columns: new[] { "resource", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_decisions_effective_on_id",
                table: "decisions",
                columns: new[] { "effective_on", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_decisions_issuer_organisation_number_folded",
                table: "decisions",
                columns: new[] { "issuer_organisation", "number_folded" });

            migrationBuilder.CreateIndex(
                name: "ix_decisions_revokes",
                table: "decisions",
                column: "revokes");

            migrationBuilder.CreateIndex(
                name: "ix_decisions_state_issue_time",
                table: "decisions",
                columns: new[] { "state", "issue_time" });

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_records_created_at",
                table: "idempotency_records",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_handled_at",
                table: "inbox_messages",
                column: "handled_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_aggregate_sequence",
                table: "outbox_messages",
                columns: new[] { "aggregate", "sequence" },
                filter: "\"published_at\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_partition_sequence",
                table: "outbox_messages",
                columns: new[] { "partition", "sequence" },
                filter: "\"published_at\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_published_at",
                table: "outbox_messages",
                column: "published_at",
                filter: "\"published_at\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_records");

            migrationBuilder.DropTable(
                name: "decisions");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "inbox_positions");

            migrationBuilder.DropTable(
                name: "outbox_messages");
        }
    }
}
