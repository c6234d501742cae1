// Prints each scenario's numbers and assertions as they happen, and counts the assertions for the final
// "N passed, N failed" line that CI reads.
export class Report {
  private passed = 0
  private readonly failures: string[] = []

  section(title: string): void {
    console.log(`\n== ${title}`)
  }

  info(line: string): void {
    console.log(`   ${line}`)
  }

  /** One assertion: `details` are printed under a failure (what broke, the offending inputs). */
  check(name: string, ok: boolean, summary = '', details: string[] = []): boolean {
    console.log(`   ${ok ? 'PASS' : 'FAIL'} ${name}${summary ? ` (${summary})` : ''}`)
    if (ok) {
      this.passed++
    } else {
      this.failures.push(name)
      for (const line of details) console.log(`        ${line}`)
    }
    return ok
  }

  get failed(): number {
    return this.failures.length
  }

  /** Prints the failed assertions again, then the plain count line. */
  finish(): void {
    if (this.failures.length > 0) {
      console.log('\nfailed:')
      for (const name of this.failures) console.log(`  - ${name}`)
    }
    console.log(`\n${this.passed} passed, ${this.failures.length} failed`)
  }
}
