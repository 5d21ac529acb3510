/** The dev server's exit code for a failure no file change can fix (the port is taken): `polycloud dev` stops. */
export const EXIT_FATAL = 3;
