export { TurnPipeline, learningWithin, type CachedRetrieval, type TurnExtractOptions, type TurnLearnOptions, type TurnRetrieveOptions } from './pipeline.js';
export { buildReport, TurnReportSchema, TurnLearningSchema, InjectedSkillSchema, type InjectedSkill, type LearningStatus, type ReportHit, type TurnLearning, type TurnReport } from './report.js';
export { DEFAULT_USER_ID } from './default-user.js';
export { resolveUser, TurnIdSchema, type UserResolution, type UserSources } from './user.js';
export { statesRule } from '../learn/rule-cue.js';
