/** A value as a JS literal inside <script>: "</script>" and line separators cannot end it early. */
export const js = (v: string) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
