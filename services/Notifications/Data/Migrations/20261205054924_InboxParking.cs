using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class InboxParking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbox_parked_messages",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    aggregate = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ready_at_version = table.Column<long>(type: "bigint", nullable: false),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: true),
                    trace_state = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    parked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_parked_messages", x => new { x.consumer, x.message_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_parked_messages_consumer_aggregate_ready_at_version",
                table: "inbox_parked_messages",
                columns: new[] { "consumer", "aggregate", "ready_at_version" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_parked_messages");
        }
    }
}
