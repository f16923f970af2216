using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class HoldersJurisdictionsAndCitedRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "holder_not_recorded",
                table: "post_holders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "in_force_from",
                table: "compliance_rules",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "compliance_rules",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            // Decisions applied before legal bases were kept have none recorded.
            migrationBuilder.AddColumn<string[]>(
                name: "legal_basis",
                table: "committee_decisions",
                type: "text[]",
                nullable: false,
                defaultValue: Array.Empty<string>());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "holder_not_recorded",
                table: "post_holders");

            migrationBuilder.DropColumn(
                name: "in_force_from",
                table: "compliance_rules");

            migrationBuilder.DropColumn(
                name: "source",
                table: "compliance_rules");

            migrationBuilder.DropColumn(
                name: "legal_basis",
                table: "committee_decisions");
        }
    }
}
