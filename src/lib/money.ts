// Money in the renderer: the shared module (electron/ipc/money.ts), which the core's timeline and CSV use too.
export * from '../../electron/ipc/money';
