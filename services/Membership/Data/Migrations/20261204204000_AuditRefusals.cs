using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditRefusals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "refused_code",
                table: "audit_records",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "refused_reason",
                table: "audit_records",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "suppressed_refusals",
                table: "audit_records",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "refused_code",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "refused_reason",
                table: "audit_records");

            migrationBuilder.DropColumn(
                name: "suppressed_refusals",
                table: "audit_records");
        }
    }
}
