/** Names of the reproductions (kept apart from their code so the CLI's help loads no TensorFlow.js). */
export const REPRODUCTION_NAMES = ['alemi-table1', 'alemi-fig1', 'alemi-fig2', 'alemi-robustness', 'alemi-uncertainty', 'tishby-infoplane', 'saxe-relu'] as const;
