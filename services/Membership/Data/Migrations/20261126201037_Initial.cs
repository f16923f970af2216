using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "applied_decisions",
                columns: table => new
                {
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    effective_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    committee_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    applied_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_applied_decisions", x => x.decision_id);
                });

            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    occurred_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
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
                name: "committee_compliance",
                columns: table => new
                {
                    committee_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    evaluated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    findings = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_compliance", x => x.committee_id);
                });

            migrationBuilder.CreateTable(
                name: "committees",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    level = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    jurisdiction = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    parent_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    founding_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    founding_decision_id = table.Column<string>(type: "text", nullable: true),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    end_state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    successor_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    ending_decision_id = table.Column<string>(type: "text", nullable: true),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    other_spellings = table.Column<List<string>>(type: "text[]", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    membership_sequence = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    search_text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    sort_key = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    contact_address = table.Column<string>(type: "text", nullable: true),
                    contact_email = table.Column<string>(type: "text", nullable: true),
                    contact_phone = table.Column<string>(type: "text", nullable: true),
                    contact_website = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committees", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "compliance_rules",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    source_decision = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    levels = table.Column<string[]>(type: "text[]", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    since = table.Column<DateOnly>(type: "date", nullable: true),
                    post_kinds = table.Column<string[]>(type: "text[]", nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    minimum = table.Column<int>(type: "integer", nullable: false),
                    maximum = table.Column<int>(type: "integer", nullable: false),
                    roles = table.Column<string[]>(type: "text[]", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_compliance_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    caller_organisation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    caller_subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
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
                name: "organisations",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    level = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    successor_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organisations", x => x.code);
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

            migrationBuilder.CreateTable(
                name: "people",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    other_names = table.Column<List<string>>(type: "text[]", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    search_text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    sort_key = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_people", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "posts",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    sector = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    organisation_display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    organisation = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    holder_sequence = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    search_text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    sort_key = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_posts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "committee_decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    kinds = table.Column<string[]>(type: "text[]", nullable: false),
                    effective_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    revoked_from = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    committee_id = table.Column<string>(type: "character varying(63)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_committee_decisions_committees_committee_id",
                        column: x => x.committee_id,
                        principalTable: "committees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "committee_focal_agencies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    organisation = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_focal_agencies", x => x.id);
                    table.ForeignKey(
                        name: "fk_committee_focal_agencies_committees_committee_id",
                        column: x => x.committee_id,
                        principalTable: "committees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "committee_mandates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    topics = table.Column<string[]>(type: "text[]", nullable: false),
                    committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_mandates", x => x.id);
                    table.ForeignKey(
                        name: "fk_committee_mandates_committees_committee_id",
                        column: x => x.committee_id,
                        principalTable: "committees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "committee_names",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_names", x => x.id);
                    table.ForeignKey(
                        name: "fk_committee_names_committees_committee_id",
                        column: x => x.committee_id,
                        principalTable: "committees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "memberships",
                columns: table => new
                {
                    committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    id = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    person_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    post_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    appointing_decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ending_decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    end_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_memberships", x => new { x.committee_id, x.id });
                    table.ForeignKey(
                        name: "fk_memberships_committees_committee_id",
                        column: x => x.committee_id,
                        principalTable: "committees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "working_groups",
                columns: table => new
                {
                    committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    display_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    purpose = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    establishing_decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    dissolving_decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_working_groups", x => new { x.committee_id, x.id });
                    table.ForeignKey(
                        name: "fk_working_groups_committees_committee_id",
                        column: x => x.committee_id,
                        principalTable: "committees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "post_holders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    number = table.Column<int>(type: "integer", nullable: false),
                    person_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    post_id = table.Column<string>(type: "character varying(63)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_post_holders", x => x.id);
                    table.ForeignKey(
                        name: "fk_post_holders_posts_post_id",
                        column: x => x.post_id,
                        principalTable: "posts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "membership_role_periods",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    roles = table.Column<string[]>(type: "text[]", nullable: false),
                    other_role = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    committee_membership_committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    committee_membership_id = table.Column<string>(type: "character varying(20)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_membership_role_periods", x => x.id);
                    table.ForeignKey(
                        name: "fk_membership_role_periods_memberships_committee_membership_co",
                        columns: x => new { x.committee_membership_committee_id, x.committee_membership_id },
                        principalTable: "memberships",
                        principalColumns: new[] { "committee_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "working_group_seats",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    person_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    post_id = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    start_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    end_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decision_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    working_group_committee_id = table.Column<string>(type: "character varying(63)", nullable: false),
                    working_group_id = table.Column<string>(type: "character varying(63)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_working_group_seats", x => x.id);
                    table.ForeignKey(
                        name: "fk_working_group_seats_working_groups_working_group_committee_",
                        columns: x => new { x.working_group_committee_id, x.working_group_id },
                        principalTable: "working_groups",
                        principalColumns: new[] { "committee_id", "id" },
                        onDelete: ReferentialAction.Cascade);
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
                name: "ix_committee_compliance_status",
                table: "committee_compliance",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_committee_decisions_committee_id_decision_id",
                table: "committee_decisions",
                columns: new[] { "committee_id", "decision_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_committee_decisions_decision_id",
                table: "committee_decisions",
                column: "decision_id");

            migrationBuilder.CreateIndex(
                name: "ix_committee_focal_agencies_committee_id",
                table: "committee_focal_agencies",
                column: "committee_id");

            migrationBuilder.CreateIndex(
                name: "ix_committee_mandates_committee_id",
                table: "committee_mandates",
                column: "committee_id");

            migrationBuilder.CreateIndex(
                name: "ix_committee_names_committee_id",
                table: "committee_names",
                column: "committee_id");

            migrationBuilder.CreateIndex(
                name: "ix_committees_jurisdiction",
                table: "committees",
                column: "jurisdiction");

            migrationBuilder.CreateIndex(
                name: "ix_committees_sort_key",
                table: "committees",
                column: "sort_key");

            migrationBuilder.CreateIndex(
                name: "ix_committees_successor_id",
                table: "committees",
                column: "successor_id");

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_records_created_at",
                table: "idempotency_records",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_messages_handled_at",
                table: "inbox_messages",
                column: "handled_at");

            migrationBuilder.CreateIndex(
                name: "ix_membership_role_periods_committee_membership_committee_id_c",
                table: "membership_role_periods",
                columns: new[] { "committee_membership_committee_id", "committee_membership_id" });

            migrationBuilder.CreateIndex(
                name: "ix_memberships_appointing_decision_id",
                table: "memberships",
                column: "appointing_decision_id");

            migrationBuilder.CreateIndex(
                name: "ix_memberships_ending_decision_id",
                table: "memberships",
                column: "ending_decision_id");

            migrationBuilder.CreateIndex(
                name: "ix_memberships_person_id",
                table: "memberships",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_memberships_post_id",
                table: "memberships",
                column: "post_id");

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

            migrationBuilder.CreateIndex(
                name: "ix_people_sort_key",
                table: "people",
                column: "sort_key");

            migrationBuilder.CreateIndex(
                name: "ix_post_holders_decision_id",
                table: "post_holders",
                column: "decision_id");

            migrationBuilder.CreateIndex(
                name: "ix_post_holders_person_id",
                table: "post_holders",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_post_holders_post_id_number",
                table: "post_holders",
                columns: new[] { "post_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_posts_organisation_kind",
                table: "posts",
                columns: new[] { "organisation", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_posts_sort_key",
                table: "posts",
                column: "sort_key");

            migrationBuilder.CreateIndex(
                name: "ix_working_group_seats_working_group_committee_id_working_grou",
                table: "working_group_seats",
                columns: new[] { "working_group_committee_id", "working_group_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "applied_decisions");

            migrationBuilder.DropTable(
                name: "audit_records");

            migrationBuilder.DropTable(
                name: "committee_compliance");

            migrationBuilder.DropTable(
                name: "committee_decisions");

            migrationBuilder.DropTable(
                name: "committee_focal_agencies");

            migrationBuilder.DropTable(
                name: "committee_mandates");

            migrationBuilder.DropTable(
                name: "committee_names");

            migrationBuilder.DropTable(
                name: "compliance_rules");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "inbox_positions");

            migrationBuilder.DropTable(
                name: "membership_role_periods");

            migrationBuilder.DropTable(
                name: "organisations");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "people");

            migrationBuilder.DropTable(
                name: "post_holders");

            migrationBuilder.DropTable(
                name: "working_group_seats");

            migrationBuilder.DropTable(
                name: "memberships");

            migrationBuilder.DropTable(
                name: "posts");

            migrationBuilder.DropTable(
                name: "working_groups");

            migrationBuilder.DropTable(
                name: "committees");
        }
    }
}
